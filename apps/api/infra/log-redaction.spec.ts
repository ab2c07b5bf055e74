import { redactLogObject, redactRequest, redactUrl, scrubText } from './log-redaction';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLXBhcnQtaGVyZQ';

describe('log redaction', () => {
  it('masks sensitive query parameters and keeps the others', () => {
    expect(redactUrl(`/api/v1/alerts/stream?access_token=${JWT}&x=1`)).toBe('/api/v1/alerts/stream?access_token=[redacted]&x=1');
    expect(redactUrl('/a?api_key=k&token=t&password=p&state=open')).toBe('/a?api_key=[redacted]&token=[redacted]&password=[redacted]&state=open');
    expect(redactUrl('/plain/path')).toBe('/plain/path');
  });

  it('masks credential headers, query values and JWT-shaped text wherever they appear', () => {
    const req = redactRequest({
      url: `/x?access_token=${JWT}`,
      query: { access_token: JWT, q: `look ${JWT}` },
      headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=1', 'x-cyberops-signature': 'sha256=ab', 'idempotency-key': 'k-1', accept: '*/*' },
    });
    expect(JSON.stringify(req)).not.toContain(JWT.split('.')[2]);
    expect(req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', 'x-cyberops-signature': '[redacted]', 'idempotency-key': 'k-1', accept: '*/*' });
    expect(req.query).toEqual({ access_token: '[redacted]', q: 'look [redacted]' });
  });

  it('masks signatures and tokens in messages and nested log fields', () => {
    expect(scrubText(`sent sha256=${'a'.repeat(64)} with ${JWT}`)).toBe('sent [redacted] with [redacted]');
    expect(redactLogObject({ msg: 'x', context: { clientSecret: 's3cr3t', nested: [JWT] } })).toEqual({ msg: 'x', context: { clientSecret: '[redacted]', nested: ['[redacted]'] } });
  });
});

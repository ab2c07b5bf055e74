import { SignJWT } from 'jose';
import { SUPERVISOR, Stack, startStack } from '../support/harness';

// Tokens must expire, and come from the configured issuer for the configured audience.
describe('token claims', () => {
  let stack: Stack;
  const ISSUER = 'https://idp.cyberops.test/realms/ops';
  const AUDIENCE = 'cyberops-api';

  beforeAll(async () => {
    stack = await startStack({ worker: false, env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const sign = (claims: { iss?: string; aud?: string; exp?: number }) => {
    const jwt = new SignJWT({ role: 'supervisor' }).setProtectedHeader({ alg: 'HS256' }).setSubject('head@cyberops.test').setIssuedAt();
    if (claims.iss) jwt.setIssuer(claims.iss);
    if (claims.aud) jwt.setAudience(claims.aud);
    if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
    return jwt.sign(new TextEncoder().encode(stack.config.JWT_SECRET));
  };
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
  const call = (token: string) => stack.http('GET', '/api/v1/countries', { token });

  it('accepts a token with exp, the configured iss and aud (as the harness and the CLI mint them)', async () => {
    expect((await call(await sign({ iss: ISSUER, aud: AUDIENCE, exp: inAnHour() }))).status).toBe(200);
    expect((await call(await stack.token(SUPERVISOR))).status).toBe(200);
  });

  it.each([
    ['without exp', { iss: ISSUER, aud: AUDIENCE }, 'token has no exp claim'],
    ['expired', { iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) - 60 }, 'token expired'],
    ['from another issuer', { iss: 'cyberops-dev', aud: AUDIENCE, exp: inAnHour() }, 'token iss claim is not accepted'],
    ['without an issuer', { aud: AUDIENCE, exp: inAnHour() }, 'token has no iss claim'],
    ['for another audience', { iss: ISSUER, aud: 'some-other-app', exp: inAnHour() }, 'token aud claim is not accepted'],
    ['without an audience', { iss: ISSUER, exp: inAnHour() }, 'token has no aud claim'],
  ])('answers 401 to a token %s', async (_name, claims, message) => {
    const res = await call(await sign(claims));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message });
  });

  it('still requires exp when no issuer or audience is configured', async () => {
    const plain = await startStack({ worker: false });
    try {
      const noExp = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').sign(new TextEncoder().encode(plain.config.JWT_SECRET));
      expect((await plain.http('GET', '/api/v1/countries', { token: noExp })).status).toBe(401);
      expect((await plain.http('GET', '/api/v1/countries', { token: await plain.token(SUPERVISOR) })).status).toBe(200);
    } finally {
      await plain.stop();
    }
  });
});

import fc from 'fast-check';
import { indicatorSetKey, normalizeIndicator, normalizeIndicators, refang } from '../../activities/deconfliction/normalize';
import { INDICATOR_TYPES, IndicatorType } from '../../workflows/common/domain';

describe('indicator normaliser', () => {
  const table: Array<[IndicatorType, string, string | null]> = [
    // Refanging
    ['url', 'hxxp://evil[.]example[.]com/Path/To?Q=A', 'http://evil.example.com/Path/To?Q=A'],
    ['url', 'hxxps[:]//Evil(dot)Example(dot)COM/AbC', 'https://evil.example.com/AbC'],
    ['url', 'HXXPS://EVIL.EXAMPLE.COM:443/Login.PHP#frag', 'https://evil.example.com/Login.PHP'],
    ['url', 'http://evil.example.com:8080/a%2fb?x=%3d', 'http://evil.example.com:8080/a%2Fb?x=%3D'],
    ['url', 'evil.example.com/drop/Payload.exe', 'http://evil.example.com/drop/Payload.exe'],
    ['url', 'http://bücher.example/kaufen', 'http://xn--bcher-kva.example/kaufen'],
    ['url', 'http://[2001:DB8::1]/x', 'http://[2001:db8::1]/x'],
    ['url', 'javascript:alert(1)', null],
    ['domain', 'Evil[.]Example[.]COM.', 'evil.example.com'],
    ['domain', 'evil{.}example(dot)org', 'evil.example.org'],
    // IDN
    ['domain', 'Bücher.Example', 'xn--bcher-kva.example'],
    ['domain', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['domain', 'пример.рф', 'xn--e1afmkfd.xn--p1ai'],
    ['domain', 'localhost', null],
    ['domain', '203.0.113.7', null],
    ['domain', '-bad-.example.com', null],
    // IPv4
    ['ipv4', ' 203.0.113.7 ', '203.0.113.7'],
    ['ipv4', '203[.]0[.]113[.]7', '203.0.113.7'],
    ['ipv4', '010.0.0.1', null],
    ['ipv4', '256.1.1.1', null],
    // IPv6 forms
    ['ipv6', '2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['ipv6', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['ipv6', '[2001:db8::1]', '2001:db8::1'],
    ['ipv6', 'FE80::1', 'fe80::1'],
    ['ipv6', 'fe80::1%eth0', null],
    ['ipv6', '1:2:3:4:5:6:7:8:9', null],
    // CIDR: the network address
    ['cidr', '10.1.2.3/8', '10.0.0.0/8'],
    ['cidr', '198.51.100.0/24', '198.51.100.0/24'],
    ['cidr', '2001:DB8::1/32', '2001:db8::/32'],
    ['cidr', '10.0.0.0/33', null],
    // Hashes
    ['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['sha1', 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['sha256', 'abc', null],
    // Wallets by scheme
    ['wallet', 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['wallet', '0x52908400098527886E0F7030069857D2E4169EE7', '0x52908400098527886e0f7030069857d2e4169ee7'],
    ['wallet', 'bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ['wallet', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ['wallet', 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW', 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW'],
    ['wallet', '0xZZ', null],
    // E-mail
    ['email', 'Boss[at]Evil[.]Example', 'boss@evil.example'],
    ['email', 'Phisher@Bücher.Example', 'phisher@xn--bcher-kva.example'],
    ['email', 'mailto:a@b.example', 'a@b.example'],
    ['email', 'not-an-email', null],
  ];

  it.each(table)('%s %s → %s', (type, raw, expected) => {
    expect(normalizeIndicator(type, raw)).toBe(expected);
  });

  it('refangs the common defanging conventions', () => {
    expect(refang('hxxp[://]evil[.]com')).toBe('http://evil.com');
    expect(refang('a (at) b [dot] c')).toBe('a@b.c');
  });

  it('drops invalid values and repeats after normalisation, keeping the first order', () => {
    const out = normalizeIndicators([
      { type: 'domain', value: 'Evil.COM' },
      { type: 'domain', value: 'evil[.]com' },
      { type: 'ipv4', value: '999.1.1.1' },
      { type: 'ipv4', value: '1.2.3.4' },
    ]);
    expect(out).toEqual([
      { type: 'domain', value: 'evil.com' },
      { type: 'ipv4', value: '1.2.3.4' },
    ]);
  });

  it('gives equal sets the same key whatever the order and form', () => {
    const a = normalizeIndicators([{ type: 'domain', value: 'EVIL.com' }, { type: 'ipv4', value: '1.2.3.4' }]);
    const b = normalizeIndicators([{ type: 'ipv4', value: '1[.]2[.]3[.]4' }, { type: 'domain', value: 'evil[.]com' }]);
    expect(indicatorSetKey(a)).toBe(indicatorSetKey(b));
    expect(indicatorSetKey(a)).not.toBe(indicatorSetKey(a.slice(1)));
  });

  // Property: normalising a normalised value changes nothing (and never turns valid into invalid).
  const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?$/);
  const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'ORG', 'example', 'рф', 'Bücher')).map(([ls, tld]) => [...ls, tld].join('.'));
  const octet = fc.integer({ min: 0, max: 255 });
  const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
  const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`));
  const candidates: fc.Arbitrary<[IndicatorType, string]> = fc.oneof(
    domain.map((d) => ['domain', d] as [IndicatorType, string]),
    domain.map((d) => ['domain', d.replace(/\./g, '[.]')] as [IndicatorType, string]),
    ipv4.map((ip) => ['ipv4', ip] as [IndicatorType, string]),
    fc.ipV6().map((ip) => ['ipv6', ip.toUpperCase()] as [IndicatorType, string]),
    fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => ['cidr', `${ip}/${p}`] as [IndicatorType, string]),
    fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([ip, p]) => ['cidr', `${ip}/${p}`] as [IndicatorType, string]),
    fc.tuple(fc.constantFrom('http', 'HTTPS', 'hxxp'), domain, fc.webPath(), fc.webQueryParameters()).map(
      ([s, d, p, q]) => ['url', `${s}://${d}${p}${q ? `?${q}` : ''}`] as [IndicatorType, string],
    ),
    fc.webUrl().map((u) => ['url', u] as [IndicatorType, string]),
    hex(32).map((h) => ['md5', h] as [IndicatorType, string]),
    hex(64).map((h) => ['sha256', h] as [IndicatorType, string]),
    hex(40).map((h) => ['wallet', `0x${h}`] as [IndicatorType, string]),
    fc.emailAddress().map((e) => ['email', e.toUpperCase()] as [IndicatorType, string]),
    fc.tuple(fc.constantFrom(...INDICATOR_TYPES), fc.string()).map(([t, s]) => [t, s] as [IndicatorType, string]),
  );

  it('is idempotent: normalising twice changes nothing (property)', () => {
    fc.assert(
      fc.property(candidates, ([type, raw]) => {
        const once = normalizeIndicator(type, raw);
        if (once === null) return;
        expect(normalizeIndicator(type, once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts the generated well-formed values (property)', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4.map((v) => ['ipv4', v] as const), fc.ipV6().map((v) => ['ipv6', v] as const), hex(64).map((v) => ['sha256', v] as const)), ([type, raw]) => {
        expect(normalizeIndicator(type, raw)).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});

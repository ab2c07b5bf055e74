import { contactSecretKey, decryptSecret, encryptSecret, generateSigningSecret } from './signing-keys';

describe('contact signing secrets at rest', () => {
  const key = contactSecretKey('a-master-secret-of-at-least-32-bytes!!');

  it('round-trips, with a fresh IV each time', () => {
    const secret = generateSigningSecret();
    const a = encryptSecret(key, secret);
    const b = encryptSecret(key, secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(decryptSecret(key, a)).toBe(secret);
  });

  it('refuses a tampered value or another master key', () => {
    const stored = encryptSecret(key, 'secret');
    const parts = stored.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(key, parts.join(':'))).toThrow();
    expect(() => decryptSecret(contactSecretKey('another-master-secret-of-32-bytes!!!'), stored)).toThrow();
  });
});

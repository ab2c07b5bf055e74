import { SignJWT } from 'jose';
import type { Principal } from './principal';

export const TOKEN_ISSUER = 'cyberops-dev';

/** Mints an HS256 token as the dev identity provider would; used by `npm run token`, the launcher and tests. */
export async function mintToken(
  principal: Principal,
  secret: string,
  options: { expiresIn?: string | number; issuedAt?: number } = {},
): Promise<string> {
  const claims: Record<string, unknown> = { role: principal.role };
  if (principal.country) claims.country = principal.country;
  if (principal.region) claims.region = principal.region;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret));
}

/** One ready-made token per role, printed by `npm start`. */
export function devPrincipals(): Principal[] {
  return [
    { sub: 'officer.ph@nrp.ph', role: 'member', country: 'PH' },
    { sub: 'dco.eurasia', role: 'coordinator', region: 'EURASIA' },
    { sub: 'analyst.fusion', role: 'analyst' },
    { sub: 'head.of.unit', role: 'supervisor' },
    { sub: 'sysadmin', role: 'admin' },
  ];
}

import { SignJWT } from 'jose';
import type { Principal } from './principal';

export const TOKEN_ISSUER = 'cyberops-dev';

export interface MintOptions {
  expiresIn?: string | number;
  issuedAt?: number;
  /** The API's JWT_ISSUER, if it checks one; `cyberops-dev` otherwise. */
  issuer?: string;
  /** The API's JWT_AUDIENCE, if it checks one. */
  audience?: string;
}

/** The `iss`/`aud` an API with this configuration accepts, for whoever mints tokens for it. */
export function tokenClaimsFor(config: { JWT_ISSUER?: string; JWT_AUDIENCE?: string }): Pick<MintOptions, 'issuer' | 'audience'> {
  return { issuer: config.JWT_ISSUER || undefined, audience: config.JWT_AUDIENCE || undefined };
}

/** Mints an HS256 token as the dev identity provider would; used by `npm run token`, the launcher and tests. */
export async function mintToken(principal: Principal, secret: string, options: MintOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = { role: principal.role };
  if (principal.country) claims.country = principal.country;
  if (principal.region) claims.region = principal.region;
  if (principal.org) claims.org = principal.org;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(options.issuer ?? TOKEN_ISSUER)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
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

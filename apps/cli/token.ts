import 'reflect-metadata';
// Mints a development token: npm run token -- --role member --country PH [--sub x] [--region AMERICAS] [--org acme-sec] [--expires 12h]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MIN_SECRET_BYTES } from '../config/config';
import { readDevJwtSecret } from '../launcher/secrets';
import { mintToken, tokenClaimsFor } from '../api/auth/tokens';
import { PARTNER_ORG, REGIONS, ROLES, Region, Role } from '../../workflows/common/domain';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      country: { type: 'string' },
      region: { type: 'string' },
      org: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'member' && !values.country) throw new Error('--country is required for members (ISO 3166-1 alpha-2)');
  const region = values.region?.toUpperCase() as Region | undefined;
  if (region && !REGIONS.includes(region)) throw new Error(`--region must be one of ${REGIONS.join(', ')}`);
  const org = values.org?.toLowerCase();
  if (role === 'partner' && !(org && PARTNER_ORG.test(org))) throw new Error('--org is required for partners (lower-case letters, digits, . _ -)');
  if (role !== 'partner' && org) throw new Error('--org is for partners only');
  const country = values.country?.toUpperCase();
  const sub = values.sub ?? `${role}${country ? `.${country.toLowerCase()}` : ''}${region ? `.${region.toLowerCase()}` : ''}${org ? `@${org}` : ''}`;
  // JWT_SECRET, else the secret `npm start` generated under DATA_DIR (./.data).
  const dataDir = path.resolve(process.env.DATA_DIR || '.data');
  const secret = process.env.JWT_SECRET || readDevJwtSecret(dataDir);
  if (!secret) throw new Error(`no JWT secret: set JWT_SECRET, or run npm start once so it generates ${path.join(dataDir, 'secrets.json')}`);
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) throw new Error(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
  const token = await mintToken({ sub, role, country, region, org }, secret, {
    expiresIn: values.expires,
    ...tokenClaimsFor(process.env),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
});

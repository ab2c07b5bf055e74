import 'reflect-metadata';
// Mints a development token: npm run token -- --role member --country PH [--sub x] [--region AMERICAS] [--expires 12h]
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '../config/config';
import { mintToken, tokenClaimsFor } from '../api/auth/tokens';
import { REGIONS, ROLES, Region, Role } from '../../workflows/common/domain';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      country: { type: 'string' },
      region: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'member' && !values.country) throw new Error('--country is required for members (ISO 3166-1 alpha-2)');
  const region = values.region?.toUpperCase() as Region | undefined;
  if (region && !REGIONS.includes(region)) throw new Error(`--region must be one of ${REGIONS.join(', ')}`);
  const country = values.country?.toUpperCase();
  const sub = values.sub ?? `${role}${country ? `.${country.toLowerCase()}` : ''}${region ? `.${region.toLowerCase()}` : ''}`;
  const token = await mintToken({ sub, role, country, region }, process.env.JWT_SECRET || DEV_JWT_SECRET, {
    expiresIn: values.expires,
    ...tokenClaimsFor(process.env),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
});

import { devPrincipals } from '../api/auth/tokens';
import { seconds } from './errors';

export interface BannerFacts {
  startedAt: number;
  apiBase: string;
  temporalUi: string;
  mail: string;
  database: string;
  dataDir: string;
  secretsFile: string;
  /** Where the JWT secret comes from: the generated file or JWT_SECRET. */
  jwtFromEnv: boolean;
  jwksUrl?: string;
  /** `DATA_DIR=… ` when the data folder is not the default one, so the token command finds the secret. */
  tokenEnv: string;
}

/** What `npm start` prints once everything answers. Never a secret or a token: it may end up in a log. */
export function banner(f: BannerFacts): string {
  const rule = '='.repeat(78);
  const tokenCommands = devPrincipals().map((p) => {
    const scope = p.country ? ` --country ${p.country}` : p.region ? ` --region ${p.region}` : '';
    return `    ${f.tokenEnv}npm run token -- --role ${p.role}${scope} --sub ${p.sub}`;
  });
  return [
    '',
    rule,
    `  Cyber operations workflow engine is ready (${seconds(Date.now() - f.startedAt)})`,
    rule,
    `  Console        ${f.apiBase}/`,
    `  API            ${f.apiBase}/api/v1`,
    `  API docs       ${f.apiBase}/docs`,
    `  Health         ${f.apiBase}/health/ready`,
    `  Temporal UI    ${f.temporalUi}`,
    `  Mail           ${f.mail}`,
    `  Database       ${f.database}`,
    `  Data folder    ${f.dataDir}`,
    '',
    f.jwtFromEnv
      ? '  JWT secret     from JWT_SECRET (not printed); npm run token needs the same JWT_SECRET'
      : `  Secrets        generated on first start, kept in ${f.secretsFile} (mode 0600, not printed)`,
    ...(f.jwksUrl ? [`  Note           JWT_JWKS_URL is set: the API verifies RS256 tokens from ${f.jwksUrl}; minted HS256 tokens are refused`] : []),
    '  Mint a token (12 h; --expires 1h for less), one per demo persona:',
    ...tokenCommands,
    '',
    `  Try: curl -H "Authorization: Bearer $(${f.tokenEnv}npm run -s token -- --role supervisor)" ${f.apiBase}/api/v1/countries`,
    '  Press Ctrl-C to stop everything (data is kept).',
    rule,
    '',
  ].join('\n');
}

import 'reflect-metadata';
import path from 'node:path';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsByteLength,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { TASK_QUEUE_DEFAULT } from '../../workflows/common/domain';

/** Secrets are never defaults: `npm start` generates them (apps/launcher/secrets.ts); elsewhere they must be set. */
export const MIN_SECRET_BYTES = 32;
const secretMessage = (name: string) =>
  `${name} must be set to a random secret of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -hex 32\`)`;

export class AppConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Loopback unless said otherwise: a forgotten dev stack is not reachable from the network. */
  @IsString() @MinLength(1)
  HOST = '127.0.0.1';

  @IsOptional() @IsString()
  TEMPORAL_ADDRESS = 'localhost:7233';

  @IsString() @MinLength(1)
  TEMPORAL_NAMESPACE = 'default';

  @IsString() @MinLength(1)
  TEMPORAL_TASK_QUEUE = TASK_QUEUE_DEFAULT;

  @IsString() @MinLength(1, { message: 'DATABASE_URL must be a PostgreSQL connection string' })
  DATABASE_URL!: string;

  /** Not needed when tokens are verified against JWT_JWKS_URL. */
  @ValidateIf((c: AppConfig) => !c.JWT_JWKS_URL)
  @IsString({ message: secretMessage('JWT_SECRET') })
  @IsByteLength(MIN_SECRET_BYTES, undefined, { message: secretMessage('JWT_SECRET') })
  JWT_SECRET!: string;

  @IsOptional() @IsUrl({ require_tld: false }, { message: 'JWT_JWKS_URL must be a URL' })
  JWT_JWKS_URL?: string;

  /** When set, tokens must carry exactly this `iss` (the identity provider's issuer URL or name). */
  @IsOptional() @IsString() @MinLength(1)
  JWT_ISSUER?: string;

  /** When set, tokens must list this `aud` (the API's client id at the identity provider). */
  @IsOptional() @IsString() @MinLength(1)
  JWT_AUDIENCE?: string;

  @IsOptional() @IsString()
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'cyberops@localhost';

  @IsString({ message: secretMessage('WEBHOOK_SIGNING_SECRET') })
  @IsByteLength(MIN_SECRET_BYTES, undefined, { message: secretMessage('WEBHOOK_SIGNING_SECRET') })
  WEBHOOK_SIGNING_SECRET!: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Type(() => Number) @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  @Type(() => Number) @IsInt() @Min(1)
  WORKER_MAX_CONCURRENT_ACTIVITIES = 100;

  @Type(() => Number) @IsInt() @Min(1)
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS = 50;

  /** Set by `npm start` only: the console offers "sign in as" demo personas. */
  @Transform(({ value }) => value === true || value === 'true' || value === '1') @IsBoolean()
  CONSOLE_DEV_PERSONAS = false;

  @IsOptional() @IsUrl({ require_tld: false }, { message: 'OIDC_ISSUER_URL must be a URL' })
  OIDC_ISSUER_URL?: string;

  @IsString() @MinLength(1)
  OIDC_CLIENT_ID = 'cyberops-console';

  @IsString() @MinLength(1)
  OIDC_SCOPE = 'openid profile';

  /** Memory the worker's workflow cache may take, in MB: it holds as many workflows as fit (README, Performance). */
  @Type(() => Number) @IsInt() @Min(1)
  WORKER_CACHE_MB = 200;

  /** Workflows kept in the worker's sticky cache; unset, as many as WORKER_CACHE_MB holds. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  WORKER_MAX_CACHED_WORKFLOWS?: number;

  /** How long a workflow task waits on this worker's sticky queue before any worker may take it. */
  @Type(() => Number) @IsInt() @Min(100)
  WORKER_STICKY_QUEUE_TIMEOUT_MS = 10_000;

  /** The worker's database connections (activities); group commit needs few. */
  @Type(() => Number) @IsInt() @Min(1)
  WORKER_DB_POOL = 20;

  /** Most support-request transitions projected in one transaction (group commit). */
  @Type(() => Number) @IsInt() @Min(1)
  WORKER_PROJECTION_BATCH = 200;

  /** host:port where the worker serves the Temporal SDK's Prometheus metrics; unset = off. */
  @IsOptional() @IsString()
  WORKER_METRICS_ADDRESS?: string;

  /** Worker versioning (apps/worker/deployment.ts): unset = an unversioned worker. */
  @IsOptional() @IsString() @MinLength(1)
  WORKER_BUILD_ID?: string;

  @IsString() @MinLength(1)
  WORKER_DEPLOYMENT_NAME = 'cyberops';

  @IsIn(['PINNED', 'AUTO_UPGRADE'])
  WORKER_VERSIONING_BEHAVIOR: 'PINNED' | 'AUTO_UPGRADE' = 'PINNED';

  /** Make this build the current version at start even if another one is. */
  @Transform(({ value }) => value === true || value === 'true') @IsBoolean()
  WORKER_PROMOTE = false;

  /** How long the API keeps country and SLA-policy rows; edits through the same process apply at once. */
  @Type(() => Number) @IsInt() @Min(0)
  DIRECTORY_CACHE_TTL_MS = 30_000;

  @IsString()
  DATA_DIR = path.resolve('.data');

  /** Notification outbox: how often the worker looks for due messages, and its retry backoff. */
  @Type(() => Number) @IsInt() @Min(10)
  NOTIFY_POLL_MS = 1000;

  @Type(() => Number) @IsInt() @Min(10)
  NOTIFY_RETRY_INITIAL_MS = 2000;

  @Type(() => Number) @IsInt() @Min(10)
  NOTIFY_RETRY_MAX_MS = 300_000;

  /** A message claimed by a worker that died is taken again after this long. */
  @Type(() => Number) @IsInt() @Min(1000)
  NOTIFY_LEASE_MS = 120_000;

  /** How long the API waits for a workflow to take a change before answering 503. */
  @Type(() => Number) @IsInt() @Min(100)
  UPDATE_TIMEOUT_MS = 10_000;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; every problem is listed in one readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    // One line, so an operator (or a log collector) sees every problem at once.
    const problems = [...new Set(errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m : `${e.property}: ${m}`))))];
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return config;
}

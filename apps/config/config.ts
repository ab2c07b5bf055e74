import 'reflect-metadata';
import path from 'node:path';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, validateSync } from 'class-validator';
import { TASK_QUEUE_DEFAULT } from '../../workflows/common/domain';

/** The development secret; the start command prints it with a command to mint tokens. */
export const DEV_JWT_SECRET = 'cyberops-dev-secret-change-me-in-production';
export const DEV_WEBHOOK_SECRET = 'cyberops-dev-webhook-secret';

export class AppConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsOptional() @IsString()
  TEMPORAL_ADDRESS = 'localhost:7233';

  @IsString() @MinLength(1)
  TEMPORAL_NAMESPACE = 'default';

  @IsString() @MinLength(1)
  TEMPORAL_TASK_QUEUE = TASK_QUEUE_DEFAULT;

  @IsString() @MinLength(1, { message: 'DATABASE_URL must be a PostgreSQL connection string' })
  DATABASE_URL!: string;

  @IsString() @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET = DEV_JWT_SECRET;

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

  @IsString() @MinLength(8)
  WEBHOOK_SIGNING_SECRET = DEV_WEBHOOK_SECRET;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Type(() => Number) @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  @Type(() => Number) @IsInt() @Min(1)
  WORKER_MAX_CONCURRENT_ACTIVITIES = 100;

  @Type(() => Number) @IsInt() @Min(1)
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS = 50;

  @IsString()
  DATA_DIR = path.resolve('.data');
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
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `  - ${e.property}: ${m}`));
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

import { randomUUID } from 'node:crypto';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/config';
import { AuthGuard } from './auth/auth.guard';
import { ErrorBodyFilter } from './common/errors';
import { DenialAuditor } from './auth/denials';
import { AuditService } from './infra/audit.service';
import { DirectoryCacheModule } from './directory/directory-cache.service';
import { DirectoryModule } from './directory/directory.controller';
import { HealthModule } from './health/health.controller';
import { MetricsModule } from './metrics/metrics.module';
import { ConfigModule } from './infra/config.module';
import { redactLogObject, redactRequest, redactResponse, scrubLogArguments } from './infra/log-redaction';
import { PrismaModule } from './infra/prisma.service';
import { TemporalModule } from './infra/temporal.module';

export const REQUEST_ID_HEADER = 'x-request-id';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    features: Array<DynamicModule | (new () => unknown)> = [],
    options: { logStream?: DestinationStream } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Named wildcard: nestjs-pino's default '*' trips Nest 11's legacy-route warning under the prefix.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: [
            {
              level: config.LOG_LEVEL,
              genReqId: (req: IncomingMessage, res: ServerResponse) => {
                const given = req.headers[REQUEST_ID_HEADER];
                const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
                res.setHeader(REQUEST_ID_HEADER, id);
                return id;
              },
              // Tokens (incl. the alert stream's ?access_token=), cookies, secrets and signatures never reach a log line.
              serializers: { req: redactRequest, res: redactResponse },
              hooks: { logMethod: scrubLogArguments },
              formatters: { log: redactLogObject },
              autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
            },
            options.logStream ?? pino.destination(1),
          ],
        }),
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }]),
        PrismaModule,
        TemporalModule,
        HealthModule,
        MetricsModule,
        DirectoryCacheModule,
        DirectoryModule,
        ...features,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
        AuditService,
        DenialAuditor,
      ],
    };
  }
}

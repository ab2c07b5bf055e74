import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { APP_CONFIG } from './config.module';
import type { AppConfig } from '../../config/config';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * One lazily connected Temporal client for the whole API. Lazy so the API starts (and
 * /health/ready reports 503) while Temporal is still coming up, instead of crashing.
 */
@Injectable()
export class TemporalClientHolder implements OnApplicationShutdown {
  private connection?: Connection;
  readonly client: Client;
  readonly taskQueue: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Few retries (about 1.5 s) instead of the SDK's 10 (about 20 s): with Temporal down the
    // caller gets a 503 with Retry-After promptly (apps/api/common/dependency-errors.ts).
    this.connection = Connection.lazy({
      address: config.TEMPORAL_ADDRESS,
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 5 }))],
    });
    this.client = new Client({ connection: this.connection, namespace: config.TEMPORAL_NAMESPACE });
    this.taskQueue = config.TEMPORAL_TASK_QUEUE;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
    this.connection = undefined;
  }
}

@Global()
@Module({
  providers: [
    TemporalClientHolder,
    { provide: TEMPORAL_CLIENT, useFactory: (holder: TemporalClientHolder) => holder.client, inject: [TemporalClientHolder] },
  ],
  exports: [TEMPORAL_CLIENT, TemporalClientHolder],
})
export class TemporalModule {}

export const InjectTemporalClient = () => Inject(TEMPORAL_CLIENT);

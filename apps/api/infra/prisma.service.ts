import { Global, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { createPrismaClient } from '../../../prisma/client';
import { APP_CONFIG } from './config.module';
import type { AppConfig } from '../../config/config';

/** How long an answer from PostgreSQL vouches that it is reachable. */
const REACHABLE_FOR_MS = 250;

/** The Prisma client as a Nest provider: `PrismaService` is injected wherever data is read. */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  readonly client: PrismaClient;
  private probe?: { at: number; answer: Promise<void> };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = createPrismaClient(config.DATABASE_URL, 20);
  }

  /**
   * Resolves if PostgreSQL answered in the last REACHABLE_FOR_MS, else asks it, once for all
   * concurrent callers; rejects while it is down (a 503 upstream). For work that must not start
   * when its first database write cannot happen, at a fraction of a query per call.
   */
  assertReachable(): Promise<void> {
    const now = Date.now();
    if (this.probe && now - this.probe.at < REACHABLE_FOR_MS) return this.probe.answer;
    const probe = { at: now, answer: this.client.$queryRaw`SELECT 1`.then(() => undefined) };
    this.probe = probe;
    probe.answer.catch(() => {
      if (this.probe === probe) this.probe = undefined; // a failure vouches for nothing: the next caller asks again
    });
    return probe.answer;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
  }
}

@Global()
@Module({ providers: [PrismaService], exports: [PrismaService] })
export class PrismaModule {}

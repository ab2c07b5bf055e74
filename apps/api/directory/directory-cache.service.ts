import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Country, SlaPolicy } from '@prisma/client';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../infra/config.module';
import { PrismaService } from '../infra/prisma.service';

/**
 * Directory rows read on every submission (the caller's country, the priority's SLA policy).
 * An edit through this API process drops its entry at once; the TTL bounds how long another
 * API replica may serve the previous version (DIRECTORY_CACHE_TTL_MS; 0 turns the cache off).
 */
@Injectable()
export class DirectoryCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.DIRECTORY_CACHE_TTL_MS;
  }

  country(iso: string): Promise<Country | null> {
    return this.get(`country/${iso}`, () => this.prisma.client.country.findUnique({ where: { iso } }));
  }

  slaPolicy(priority: string): Promise<SlaPolicy | null> {
    return this.get(`sla-policy/${priority}`, () => this.prisma.client.slaPolicy.findUnique({ where: { priority } }));
  }

  invalidateSlaPolicy(priority: string): void {
    this.entries.delete(`sla-policy/${priority}`);
  }

  invalidateCountry(iso: string): void {
    this.entries.delete(`country/${iso}`);
  }

  private get<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value as Promise<T | null>;
    if (this.ttlMs === 0) return load();
    // Concurrent misses share one query; a failure or an absent row is not kept.
    const value = load().then(
      (row) => {
        if (row === null) this.forget(key, value);
        return row;
      },
      (error: unknown) => {
        this.forget(key, value);
        throw error;
      },
    );
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  private forget(key: string, value: Promise<unknown>): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}

@Global()
@Module({ providers: [DirectoryCache], exports: [DirectoryCache] })
export class DirectoryCacheModule {}

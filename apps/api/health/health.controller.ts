import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { Public } from '../auth/auth.guard';
import { ApiErrors } from '../common/openapi';
import { PrismaService } from '../infra/prisma.service';
import { TemporalClientHolder } from '../infra/temporal.module';

const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref()),
  ]);
}

@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly temporalHolder: TemporalClientHolder,
  ) {}

  async database() {
    const check = this.indicators.check('database');
    try {
      await withTimeout(this.prisma.client.$queryRaw`SELECT 1`, 'PostgreSQL');
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async temporal() {
    const check = this.indicators.check('temporal');
    try {
      const info = await withTimeout(this.temporalHolder.client.workflowService.getSystemInfo({}), 'Temporal');
      return check.up({ serverVersion: info.serverVersion });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}

class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

@ApiTags('health')
@ApiErrors(429)
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyIndicators,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @ApiOkResponse({ type: LiveDto })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL and Temporal both answer; 503 otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.dependencies.database(), () => this.dependencies.temporal()]);
  }
}

@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController], providers: [DependencyIndicators] })
export class HealthModule {}

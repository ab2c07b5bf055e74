import { Controller, Get, Global, MiddlewareConsumer, Module, NestModule, RequestMethod, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { getToken, makeGaugeProvider, makeHistogramProvider, PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { register } from 'prom-client';
import { Public } from '../auth/auth.guard';
import { HTTP_DURATION, HttpMetricsMiddleware, SSE_SUBSCRIBERS } from './http-metrics';

/**
 * Prometheus text format at GET /metrics (outside /api/v1): HTTP latency and status by route
 * template, SSE subscribers, Node process metrics. Unauthenticated by design for the scraper on
 * the private network; the compose gateway does not forward it. Left out of the OpenAPI
 * document, which describes the public API only.
 */
@ApiExcludeController()
@Controller()
@Public()
@SkipThrottle()
export class MetricsController extends PrometheusController {
  @Get()
  override index(@Res({ passthrough: true }) response: Response) {
    return super.index(response);
  }
}

// Several API apps in one process (tests) share prom-client's registry: collect once.
const processMetricsCollected = () => register.getSingleMetric('process_cpu_user_seconds_total') !== undefined;

@Global()
@Module({
  imports: [
    PrometheusModule.register({ controller: MetricsController, path: '/metrics', defaultMetrics: { enabled: !processMetricsCollected() } }),
  ],
  providers: [
    makeHistogramProvider({
      name: HTTP_DURATION,
      help: 'HTTP request duration in seconds, by method, route template and status (streams excluded)',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    makeGaugeProvider({ name: SSE_SUBSCRIBERS, help: 'Open alert streams (SSE) on this API process' }),
    HttpMetricsMiddleware,
  ],
  exports: [getToken(SSE_SUBSCRIBERS)],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}


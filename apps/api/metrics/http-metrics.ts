import { Injectable, NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Histogram } from 'prom-client';

export const HTTP_DURATION = 'http_server_request_duration_seconds';
export const SSE_SUBSCRIBERS = 'cyberops_sse_subscribers';

/** Times every request until its response is sent, labelled by route template (not the raw URL, to bound cardinality). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@InjectMetric(HTTP_DURATION) private readonly duration: Histogram<string>) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.duration.startTimer();
    res.once('finish', () => {
      // A stream's duration is its subscriber's session, not a latency: counted by the SSE gauge instead.
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
      const route = (req.route as { path?: string } | undefined)?.path;
      end({ method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched', status_code: String(res.statusCode) });
    });
    next();
  }
}

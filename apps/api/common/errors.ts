import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  UnprocessableEntityException,
  ValidationError,
} from '@nestjs/common';
import type { Response } from 'express';
import { DenialAuditor } from '../auth/denials';
import { RETRY_AFTER_SECONDS, unavailableDependency } from './dependency-errors';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldProblem[];
}

/** Flattens class-validator errors into one entry per wrong field, with dotted paths. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property || 'body';
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

export function validationException(errors: ValidationError[]): BadRequestException {
  return badRequest(fieldProblems(errors));
}

export function badRequest(details: FieldProblem[]): BadRequestException {
  const fields = [...new Set(details.map((d) => d.field))];
  return new BadRequestException({ message: `invalid ${fields.join(', ')}`, details });
}

/** Well-formed, but not possible as asked (unknown references, instants out of order): 422. */
export function unprocessable(details: FieldProblem[]): UnprocessableEntityException {
  const fields = [...new Set(details.map((d) => d.field))];
  return new UnprocessableEntityException({ message: `cannot process ${fields.join(', ')}`, details });
}

@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly denials: DenialAuditor) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const down = unavailableDependency(exception);
    if (down) {
      // A dependency outage is not a bug: one warning line, and the client is told when to retry.
      this.logger.warn(`${down} unavailable: ${exception instanceof Error ? exception.message.split('\n').filter(Boolean).pop() : String(exception)}`);
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      response.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `${down} is unavailable; retry after ${RETRY_AFTER_SECONDS} s`,
        details: [],
      } satisfies ErrorBody);
      return;
    }
    const body = this.toBody(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    // A dependency that is down (or a change not taken in time): tell the client when to retry.
    if (body.statusCode === 503) response.setHeader('Retry-After', String((exception as { retryAfterSeconds?: number }).retryAfterSeconds ?? 5));
    // Refused attempts (403, 404 on an existing object out of scope) are audited before answering.
    await this.denials.record(exception, http.getRequest());
    if (response.headersSent) return;
    // Every 503 (a route's own, readiness) tells the client when to come back.
    if (body.statusCode === 503 && !response.getHeader('Retry-After')) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    // Errors are always the shared JSON body, even on routes that answer in another media type (TAXII).
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const payload = (typeof raw === 'string' ? { message: raw } : raw) as {
        message?: string | string[];
        details?: FieldProblem[];
      };
      const message = Array.isArray(payload.message) ? payload.message.join('; ') : (payload.message ?? exception.message);
      return { statusCode, error: reasonPhrase(statusCode), message, details: payload.details ?? [] };
    }
    const bodyParse = exception as { type?: string; status?: number; message?: string };
    if (bodyParse?.type === 'entity.parse.failed') {
      return { statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON', details: [{ field: 'body', problem: 'malformed JSON' }] };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'internal error', details: [] };
  }
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

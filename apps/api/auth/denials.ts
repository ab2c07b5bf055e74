import { ForbiddenException, HttpException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditService } from '../infra/audit.service';
import type { Principal } from './principal';

/** The object a refused call aimed at, for its audit row. */
export interface DeniedObject {
  objectType: string;
  objectId: string;
}

/**
 * 404 for an object that exists but lies outside the caller's scope. The caller sees the same
 * answer as for a missing object; the audit trail records the attempt.
 */
export class OutOfScopeException extends NotFoundException {
  constructor(
    message: string,
    readonly target: DeniedObject,
  ) {
    super(message);
  }
}

/** 403 naming the object a role may see but not act on (a plain ForbiddenException names the route's). */
export class RefusedException extends ForbiddenException {
  constructor(
    message: string,
    readonly target: DeniedObject,
  ) {
    super(message);
  }
}

interface RoutedRequest {
  method?: string;
  route?: { path?: string };
  params?: Record<string, unknown>;
  principal?: Principal;
  id?: unknown;
}

/**
 * Writes an audit row for every refused attempt by an authenticated caller: each 403, and each
 * 404 on an object that exists (OutOfScopeException). Row: actor, the attempted action
 * (`<objectType>.<verb>`), the object, and the outcome (`denied`, status in data).
 */
@Injectable()
export class DenialAuditor {
  private readonly logger = new Logger(DenialAuditor.name);

  constructor(private readonly audit: AuditService) {}

  async record(exception: unknown, request: RoutedRequest): Promise<void> {
    const status = exception instanceof HttpException ? exception.getStatus() : 0;
    const audited = status === 403 || exception instanceof OutOfScopeException;
    if (!audited || !request.principal) return;
    const attempt = attemptOf(request);
    const target = (exception as { target?: DeniedObject }).target ?? attempt;
    try {
      await this.audit.append({
        actor: request.principal,
        action: attempt.action,
        objectType: target.objectType,
        objectId: target.objectId,
        afterState: 'denied',
        data: {
          outcome: 'denied',
          status,
          method: request.method ?? null,
          route: request.route?.path ?? null,
          reason: exception instanceof Error ? exception.message : null,
        },
        requestId: typeof request.id === 'string' ? request.id : undefined,
      });
    } catch (error) {
      // The refusal stands either way; losing its audit row is reported, not turned into a 500.
      this.logger.error(`could not audit a refused ${attempt.action} on ${target.objectId}: ${(error as Error).message}`);
    }
  }
}

/**
 * What the caller tried, from the route template: `/api/v1/operations/:id/abort` by POST is
 * `operation.abort` on the `:id`; a GET of `:id` is `.read`; a collection call is `.list`/`.create`.
 */
export function attemptOf(request: RoutedRequest): DeniedObject & { action: string } {
  const path = (request.route?.path ?? '').replace(/^\/?api\/v\d+\//, '').replace(/^\//, '');
  const segments = path.split('/').filter(Boolean);
  const collection = segments[0] ?? 'unknown';
  const objectType = singular(collection);
  const hasId = segments[1]?.startsWith(':') ?? false;
  const param = hasId ? segments[1].slice(1) : undefined;
  const objectId = param && typeof request.params?.[param] === 'string' ? (request.params[param] as string) : `/${collection}`;
  const tail = segments.slice(hasId ? 2 : 1).filter((s) => !s.startsWith(':'));
  const method = (request.method ?? 'GET').toUpperCase();
  const verb = tail.length ? tail.join('.') : method === 'GET' ? (hasId ? 'read' : 'list') : method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'update';
  return { action: `${objectType}.${verb}`, objectType, objectId };
}

function singular(collection: string): string {
  const snake = collection.replace(/-/g, '_');
  if (snake.endsWith('ies')) return `${snake.slice(0, -3)}y`;
  if (snake.endsWith('s')) return snake.slice(0, -1);
  return snake;
}

import { applyDecorators, INestApplication } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from './errors';

// The OpenAPI document and the composite decorators that describe responses, in one place.
// Every route states each status it can answer; errors share one schema.

export class FieldProblemDto {
  @ApiProperty({ example: 'title' }) field!: string;
  @ApiProperty({ example: 'title must be shorter than or equal to 200 characters' }) problem!: string;
}

export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'invalid title' }) message!: string;
  @ApiProperty({ type: [FieldProblemDto] }) details!: FieldProblemDto[];
}

const ERRORS = {
  400: 'a parameter or the body is not valid; details name each wrong field',
  401: 'no token, or a token that is invalid or expired',
  403: 'the caller\'s role may not do this',
  404: 'no such object, or outside the caller\'s scope',
  405: 'the path does not answer this method (see the Allow header)',
  409: 'the object\'s current state does not allow this change',
  410: 'the object was withdrawn',
  413: 'the body is larger than the API accepts',
  415: 'the body is not JSON (application/json, UTF-8)',
  422: 'well-formed, but refers to something unknown or is not possible as asked',
  429: 'too many requests; retry after the Retry-After header',
  503: 'a dependency (database or Temporal) is unavailable; retry after the Retry-After header',
} as const;
export type ErrorStatus = keyof typeof ERRORS;

const RETRY_AFTER = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } };

/** Documents error statuses with the shared error body. */
export function ApiErrors(...statuses: ErrorStatus[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERRORS[status], type: ErrorBodyDto, ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}) }),
    ),
  );
}

/**
 * Every route behind the token check: 401; 403, since the guard refuses a partner on any route
 * that does not name the role; and the limits every request meets (429, 503).
 */
export const ApiSecured = () => applyDecorators(ApiBearerAuth(), ApiErrors(401, 403, 429, 503));
/** Routes with path or query parameters: 400 when one is wrong. */
export const ApiParams = () => ApiErrors(400);
/** Routes taking a JSON body: 400 when it is wrong, 413 too large, 415 not JSON. */
export const ApiJsonBody = () => ApiErrors(400, 413, 415);
/** Routes naming one object: 400 for a malformed id, 404 for an unknown or out-of-scope one. */
export const ApiObject = () => ApiErrors(400, 404);

/** OpenAPI links from a created object's id to the operations that take it (`Controller_method` ids). */
export function linksById(controller: string, methods: string[], extra: Record<string, string> = {}) {
  return Object.fromEntries(
    methods.map((m) => [m, { operationId: `${controller}_${m}`, parameters: { id: '$response.body#/id', ...extra } }]),
  );
}

/** Schema keywords a class states as a whole (e.g. minProperties), set on its component schema. */
const CLASS_SCHEMA_EXTRAS = new Map<string, Record<string, unknown>>();
export function ApiSchemaExtras(extras: Record<string, unknown>): ClassDecorator {
  return (target) => {
    CLASS_SCHEMA_EXTRAS.set(target.name, extras);
  };
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cyber operations workflow engine')
      .setDescription(
        'Support requests, regional operation surges and intelligence dissemination. Every error answers ' +
          '`{ statusCode, error, message, details: [{ field, problem }] }`. Request bodies are JSON (UTF-8) of at most the ' +
          'documented sizes; unknown fields are rejected.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  const schemas = (document.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, extras] of CLASS_SCHEMA_EXTRAS) if (schemas[name]) Object.assign(schemas[name], extras);
  closeRequestSchemas(document);
  return document;
}

/**
 * The validation pipe rejects unknown fields (forbidNonWhitelisted), so every schema a request
 * body reaches says `additionalProperties: false`.
 */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const ref = (node as { $ref?: string }).$ref;
    if (ref?.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (seen.has(name) || !schemas[name]) return;
      seen.add(name);
      if (schemas[name].type === 'object' || schemas[name].properties) schemas[name].additionalProperties ??= false;
      return visit(schemas[name]);
    }
    Object.values(node).forEach(visit);
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) visit((operation as { requestBody?: unknown }).requestBody);
  }
}

/**
 * 405 with an Allow header for a documented path asked with a method it does not declare
 * (instead of the router's 404). HEAD follows GET, as Express answers it.
 */
export function methodNotAllowed(document: OpenAPIObject) {
  const routes = Object.entries(document.paths).map(([template, item]) => {
    const methods = Object.keys(item)
      .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
      .map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+');
    return { pattern: new RegExp(`^${source}/?$`), methods };
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const path = req.path;
    const route = routes.find((r) => r.pattern.test(path));
    if (!route || route.methods.includes(req.method)) return next();
    const allow = route.methods.join(', ');
    const body: ErrorBody = {
      statusCode: 405,
      error: 'Method Not Allowed',
      message: `${req.method} is not allowed on ${path}; allowed: ${allow}`,
      details: [{ field: 'method', problem: `must be one of ${allow}` }],
    };
    res.status(405).setHeader('Allow', allow);
    res.json(body);
  };
}

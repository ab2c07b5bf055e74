import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** OpenAPI 3.0's `nullable: true` as JSON Schema (and as Schemathesis reads it): the schema, or null. */
function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, jsonSchemaOf(v)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

/**
 * Checks response bodies against the component schemas of the API's own OpenAPI document: a field
 * the document leaves out (or types wrongly) fails the test that reads it.
 */
export function schemaChecker(document: { components: { schemas: Record<string, unknown> } }) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: jsonSchemaOf(document.components) }, 'openapi');
  return (schema: string, body: unknown): string[] => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`);
    if (!validate) return [`no schema ${schema}`];
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${schema}${e.instancePath} ${e.message}`);
  };
}

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

/**
 * Checks a whole answer against the document: the status must be documented for the operation,
 * and the body must match the schema of the media type it came in. Returns the problems.
 */
export function responseChecker(document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } }) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: jsonSchemaOf(document.components) }, 'openapi');
  // Literal segments before parameters, so /alerts/stream is not read as /alerts/{id}.
  const routes = Object.entries(document.paths)
    .map(([template, item]) => ({ template, item, pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}/?$`) }))
    .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  const compiled = new Map<string, ReturnType<Ajv['compile']>>();
  return (method: string, url: string, status: number, contentType: string | null, body: unknown): string[] => {
    const path = url.split('?')[0];
    const route = routes.find((r) => r.pattern.test(path));
    const operation = route?.item[method.toLowerCase()];
    if (!route || !operation) return [];
    const where = `${method.toUpperCase()} ${route.template} ${status}`;
    const response = operation.responses[String(status)];
    if (!response) return [`${where}: status not documented`];
    if (!response.content) return body === undefined ? [] : [`${where}: a body, but none documented`];
    const media = (contentType ?? '').split(';')[0].trim();
    const entry = Object.entries(response.content).find(([type]) => type.split(';')[0].trim() === media);
    if (!entry) return [`${where}: content type ${contentType} not documented (${Object.keys(response.content).join(', ')})`];
    if (media === 'text/event-stream') return [];
    const key = `${where} ${media}`;
    if (!compiled.has(key)) compiled.set(key, ajv.compile(JSON.parse(JSON.stringify(jsonSchemaOf(entry[1].schema ?? {})).replace(/"#\/components\//g, '"openapi#/components/'))));
    const validate = compiled.get(key)!;
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

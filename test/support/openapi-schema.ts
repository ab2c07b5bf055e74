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

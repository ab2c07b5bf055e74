/**
 * Keeps tokens, secrets and signatures out of every log line (DESIGN.md "Security and
 * reliability rules"). Request and response serializers mask sensitive headers, query
 * parameters and URL parameters by name; a last pass masks anything shaped like a JWT or an
 * HMAC signature wherever it appears in a log call.
 */

export const REDACTED = '[redacted]';

/** Header, query and field names whose values are credentials. */
const SENSITIVE_NAME = /token|secret|passw|authorization|cookie|signature|api[-_]?key|credential|session|^sig$/i;
/** A compact JWS (three base64url parts, the first a JSON header) and `sha256=<hex>` signatures. */
const JWT_SHAPE = /eyJ[\w-]{5,}\.[\w-]*\.[\w-]*/g;
const SIGNATURE_SHAPE = /sha(?:1|256|512)=[0-9a-f]{32,}/gi;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** Masks credential-shaped substrings in free text (messages, URLs, error strings). */
export function scrubText(text: string): string {
  return text.replace(JWT_SHAPE, REDACTED).replace(SIGNATURE_SHAPE, REDACTED);
}

/** Masks the values of sensitive query parameters of a path such as `/a?access_token=…`. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  if (q < 0) return scrubText(url);
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...new Set(params.keys())]) {
    if (isSensitiveName(key)) params.set(key, REDACTED);
  }
  return scrubText(`${url.slice(0, q)}?${params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED)}`);
}

/** A copy of a header or query record with sensitive values masked (nested values scrubbed). */
export function redactRecord(record: unknown): unknown {
  if (!record || typeof record !== 'object') return record;
  return Object.fromEntries(
    Object.entries(record as Record<string, unknown>).map(([key, value]) => [
      key,
      isSensitiveName(key) ? REDACTED : typeof value === 'string' ? scrubText(value) : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? scrubText(v) : v)) : value,
    ]),
  );
}

interface SerializedRequest {
  url?: string;
  query?: unknown;
  params?: unknown;
  headers?: unknown;
  [key: string]: unknown;
}

/** pino-http `req` serializer (runs on the standard serialization of the request). */
export function redactRequest(req: SerializedRequest): SerializedRequest {
  return { ...req, url: redactUrl(req.url), query: redactRecord(req.query), params: redactRecord(req.params), headers: redactRecord(req.headers) };
}

/** pino-http `res` serializer: `set-cookie` and any echoed credential header. */
export function redactResponse(res: { headers?: unknown; [key: string]: unknown }): { headers?: unknown; [key: string]: unknown } {
  return { ...res, headers: redactRecord(res.headers) };
}

/** pino `hooks.logMethod`: scrubs string arguments (messages and interpolation values). */
export function scrubLogArguments(this: unknown, args: unknown[], method: (...a: unknown[]) => void): void {
  method.apply(
    this,
    args.map((a) => (typeof a === 'string' ? scrubText(a) : a instanceof Error ? scrubError(a) : a)),
  );
}

function scrubError(error: Error): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  Object.assign(copy, error, { message: scrubText(error.message), stack: error.stack ? scrubText(error.stack) : error.stack });
  return copy;
}

/** `formatters.log`: masks sensitive fields anywhere in a structured log object (two levels deep). */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return deepRedact(object, 0) as Record<string, unknown>;
}

function deepRedact(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (!value || typeof value !== 'object' || depth > 4 || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => deepRedact(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isSensitiveName(k) ? REDACTED : deepRedact(v, depth + 1)]),
  );
}

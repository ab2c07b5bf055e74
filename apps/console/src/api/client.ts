import createClient from 'openapi-fetch';
import type { paths } from '../../generated/api';

/** A problem the API reported, with the per-field details of a 400 and the reason of a 409. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Array<{ field: string; problem: string }> = [],
  ) {
    super(message);
  }

  /** Problems keyed by field path (`title`, `indicators.0.value`). */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries(this.details.map((d) => [d.field, d.problem]));
  }
}

let currentToken: string | null = null;
let unauthorized: () => void = () => undefined;

/** The session sets the bearer token and what to do when the API answers 401. */
export function configureApi(token: string | null, on401: () => void): void {
  currentToken = token;
  unauthorized = on401;
}

export function bearer(): string | null {
  return currentToken;
}

/** For calls made outside the typed client (the event stream): a 401 ends the session the same way. */
export function reportUnauthorized(): void {
  if (currentToken) unauthorized();
}

/** Typed by the API's OpenAPI document: a changed path, parameter or body breaks the console's build. */
export const api = createClient<paths>({ baseUrl: '/' });
api.use({
  onRequest({ request }) {
    if (currentToken) request.headers.set('Authorization', `Bearer ${currentToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && currentToken) unauthorized();
    return response;
  },
});

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The answer's body, or an ApiError. `T` names the response shape where the OpenAPI document
 * has no schema for it yet (see models.ts).
 */
export async function unwrap<T>(call: Promise<Answer>): Promise<T> {
  let answer: Answer;
  try {
    answer = await call;
  } catch (error) {
    throw new ApiError(0, (error as Error).message);
  }
  if (answer.response.ok) return answer.data as T;
  const body = (answer.error ?? {}) as { message?: string | string[]; details?: ApiError['details'] };
  const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? answer.response.statusText);
  throw new ApiError(answer.response.status, message, body.details ?? []);
}

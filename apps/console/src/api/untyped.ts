import { ApiError, bearer } from './client';

/**
 * Calls to the fusion-centre API (`/api/v1/intel`, `/api/v1/disseminations`), which this
 * server's OpenAPI document does not describe yet (written against DESIGN.md). Answers null
 * for a 404 on a collection, so the views can say the feature is not available here.
 * Switch these to the typed `api` client once the endpoints are in the document.
 */
export async function callUntyped<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = bearer();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, (error as Error).message);
  }
  const parsed = (await response.json().catch(() => ({}))) as { message?: string | string[]; details?: ApiError['details'] };
  if (!response.ok) {
    const message = Array.isArray(parsed.message) ? parsed.message.join('; ') : (parsed.message ?? response.statusText);
    throw new ApiError(response.status, message, parsed.details ?? []);
  }
  return parsed as T;
}

/** A collection, or null when this server has no such endpoint (404). */
export async function listUntyped<T>(path: string): Promise<{ items: T[] } | null> {
  try {
    const page = await callUntyped<{ items?: T[] }>('GET', path);
    return { items: page.items ?? [] };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

import { UnprocessableEntityException } from '@nestjs/common';
import { Integer, Text } from './validation';

// Keyset paging, newest first, shared by every list: `{ items, nextCursor }`.

export const DEFAULT_PAGE_SIZE = 50;

export class PageQuery {
  @Integer(1, 200, { optional: true, fromQuery: true, default: DEFAULT_PAGE_SIZE })
  limit?: number;

  @Text(500, { optional: true, pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'be a nextCursor this API handed out', description: 'opaque cursor from a previous page (nextCursor)' })
  cursor?: string;
}

/** The position of a row: its sort instant and its id (the tie-breaker). */
export interface PageKey {
  at: Date;
  id: string;
}

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): PageKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const at = new Date(parsed[0]);
      if (!Number.isNaN(at.getTime())) return { at, id: parsed[1] };
    }
  } catch {
    // fall through
  }
  // Well-formed but not a position this API handed out: the schema cannot tell, so 422.
  throw new UnprocessableEntityException({ message: 'invalid cursor', details: [{ field: 'cursor', problem: 'cursor is not one this API handed out' }] });
}

/** Rows strictly after the cursor in (field desc, id desc) order, as a Prisma where clause. */
export function afterCursor<F extends string>(cursor: string, field: F) {
  const key = decodeCursor(cursor);
  return { OR: [{ [field]: { lt: key.at } }, { [field]: key.at, id: { lt: key.id } }] } as Record<'OR', Array<Record<string, unknown>>>;
}

/** Cuts the `limit + 1` rows fetched into a page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => PageKey): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? encodeCursor(keyOf(page[page.length - 1])) : null };
}

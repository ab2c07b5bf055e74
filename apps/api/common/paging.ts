import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { badRequest } from './errors';

// Keyset paging, newest first, shared by every list: `{ items, nextCursor }`.

export const DEFAULT_PAGE_SIZE = 50;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'opaque cursor from a previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
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
  throw badRequest([{ field: 'cursor', problem: 'cursor is not one this API handed out' }]);
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

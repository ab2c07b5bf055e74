// A dependency that is down is 503 with Retry-After, never a 500: recognised here once, for
// every route, from the error the client library throws (the cause chain is walked).

/** Seconds a client should wait before retrying while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

// gRPC status codes (@grpc/grpc-js Status): the server is away, too slow, or refusing more work.
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const TEMPORAL_DOWN_CODES = new Set([GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED, GRPC_RESOURCE_EXHAUSTED]);

/** Prisma: cannot reach, timed out, connection closed, pool exhausted, too many connections. */
const PRISMA_DOWN_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** node-postgres / socket errors, and SQLSTATE classes 08 (connection) and 57P (shutdown, starting up). */
const SOCKET_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_DOWN_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Server has closed the connection|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

export type Dependency = 'PostgreSQL' | 'Temporal';

interface Inspectable {
  name?: string;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  metadata?: unknown;
  clientVersion?: unknown;
}

/** Which dependency this error says is unavailable; null for anything else (a real bug stays a 500). */
export function unavailableDependency(error: unknown): Dependency | null {
  let current: unknown = error;
  let viaTemporal = false;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const e = current as Inspectable;
    if (e.name === 'ServiceError' || e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') viaTemporal = true;
    if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return 'Temporal';
    if (typeof e.code === 'number' && TEMPORAL_DOWN_CODES.has(e.code) && (viaTemporal || e.metadata !== undefined)) return 'Temporal';
    if (typeof e.code === 'string') {
      if (PRISMA_DOWN_CODES.has(e.code)) return 'PostgreSQL';
      if (e.code.startsWith('08') || e.code.startsWith('57P')) return 'PostgreSQL';
      if (SOCKET_DOWN_CODES.has(e.code)) return viaTemporal ? 'Temporal' : 'PostgreSQL';
    }
    if (e.name === 'PrismaClientInitializationError') return 'PostgreSQL';
    if (typeof e.message === 'string' && PG_DOWN_MESSAGES.test(e.message) && !viaTemporal) return 'PostgreSQL';
    current = e.cause;
  }
  return null;
}

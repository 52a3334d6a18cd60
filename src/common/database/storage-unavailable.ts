/** What a client is told, over REST and A2A alike, and how many seconds to wait before retrying. */
export const STORAGE_UNAVAILABLE_MESSAGE = 'The database is unavailable: retry the request';
export const STORAGE_RETRY_AFTER_SECONDS = 1;

/**
 * PostgreSQL's SQLSTATEs for "the connection is gone or cannot be had": class 08 (connection
 * exception), 57P01–57P03 (administrator shutdown, crash shutdown, cannot connect now: a restart
 * or a failover) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]$|53300$)/;

/** Node's socket errors on the way to the database. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres's own errors when a connection ends under a query or cannot be made; they carry no
 * code, only these messages.
 */
const NODE_POSTGRES_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
];

/**
 * Whether `error` says the database could not be reached or dropped the connection, so that the
 * statement never ran or its outcome is unknown. Such a request is worth retrying as it is (503),
 * where any other unexpected error is a bug (500).
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // A host name with several addresses fails with one error per address tried.
  if (error instanceof AggregateError && error.errors.some(isStorageUnavailable)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || SOCKET_ERRORS.has(code)))
    return true;
  return NODE_POSTGRES_MESSAGES.some((message) => error.message.startsWith(message));
}

export interface QueryOptions {
  /**
   * PostgreSQL keeps the statement parsed and planned on each connection under this name, so
   * that running it again skips both. Only for a hot statement whose text is one of a fixed few:
   * every distinct name stays prepared for the connection's life. PGlite too: planning was a
   * fifth of its time for the statement that stores a batch.
   */
  prepareAs?: string;
}

/** What a repository needs from a connection: parameterised statements returning rows. */
export interface SqlExecutor {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
}

/**
 * The storage port. PGlite (embedded) and PostgreSQL implement it with the same SQL,
 * so every repository is written once and its contract suite runs against both.
 */
export abstract class Database implements SqlExecutor {
  abstract readonly driver: 'pglite' | 'postgres';
  abstract query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  abstract transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  abstract exec(sql: string): Promise<void>;
  abstract close(): Promise<void>;
}

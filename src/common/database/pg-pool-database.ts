import type { Pool, PoolClient } from 'pg';
import { Database, type QueryOptions, type SqlExecutor } from './database';

/**
 * The Database port over a node-postgres pool, whatever the pool's connections reach: PostgreSQL
 * over TCP, or PGlite through its wire-protocol adapter. One way to run statements, prepare them
 * and hold a transaction on one connection, for both storages.
 */
export abstract class PgPoolDatabase extends Database {
  /** Statements outside a transaction, each on whichever connection the pool has free. */
  private readonly pooled: SqlExecutor;

  constructor(protected readonly pool: Pool) {
    super();
    // An idle client losing its connection must not take the process down; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.pooled = executorOf(pool);
  }

  query<R extends object>(sql: string, params?: unknown[], options?: QueryOptions): Promise<R[]> {
    return this.pooled.query<R>(sql, params, options);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(executorOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Runs statements on a pool or on one of its connections, prepared under `prepareAs`. */
function executorOf(client: Pool | PoolClient): SqlExecutor {
  return {
    query: async <R extends object>(
      sql: string,
      params: unknown[] = [],
      options: QueryOptions = {},
    ) => (await client.query<R>({ text: sql, values: params, name: options.prepareAs })).rows,
  };
}

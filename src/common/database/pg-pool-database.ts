import type { Pool, PoolClient } from 'pg';
import { Database, type QueryOptions, type SqlExecutor } from './database';

/**
 * The Database port over a node-postgres pool, whatever the pool's connections reach: PostgreSQL
 * over TCP, or PGlite through its wire-protocol adapter. One way to run statements, prepare them
 * and hold a transaction on one connection, for both storages.
 */
export abstract class PgPoolDatabase extends Database {
  constructor(protected readonly pool: Pool) {
    super();
    // An idle client losing its connection must not take the process down; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async query<R extends object>(
    sql: string,
    params: unknown[] = [],
    options: QueryOptions = {},
  ): Promise<R[]> {
    return (await this.pool.query<R>({ text: sql, values: params, name: options.prepareAs })).rows;
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

function executorOf(client: PoolClient): SqlExecutor {
  return {
    query: async <R extends object>(
      sql: string,
      params: unknown[] = [],
      options: QueryOptions = {},
    ) => (await client.query<R>({ text: sql, values: params, name: options.prepareAs })).rows,
  };
}

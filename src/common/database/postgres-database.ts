import { Pool, type PoolClient } from 'pg';
import { Database, type QueryOptions, type SqlExecutor } from './database';

/** PostgreSQL (or Supabase's Postgres connection string) through a pg connection pool. */
export class PostgresDatabase extends Database {
  readonly driver = 'postgres';
  private readonly pool: Pool;

  constructor(connectionString: string, poolSize: number) {
    super();
    this.pool = new Pool({ connectionString, max: poolSize });
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

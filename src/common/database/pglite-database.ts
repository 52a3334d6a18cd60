import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Database, type SqlExecutor } from './database';

/** Postgres compiled to WASM, in-process: the zero-setup default. One connection, queries queue. */
export class PgliteDatabase extends Database {
  readonly driver = 'pglite';

  private constructor(private readonly db: PGlite) {
    super();
  }

  static async open(dataDir: string): Promise<PgliteDatabase> {
    if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir);
    return new PgliteDatabase(db);
  }

  async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({
        query: async <R extends object>(sql: string, params: unknown[] = []) =>
          (await tx.query<R>(sql, params)).rows,
      }),
    );
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

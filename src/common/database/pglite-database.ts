import { existsSync, mkdirSync, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Database, type SqlExecutor } from './database';

export interface PgliteOpenOptions {
  /**
   * A tarball of a PGlite data directory (PGlite's `dumpDataDir()`) that a new database starts
   * from instead of running initdb, which takes seconds; a database that exists ignores it.
   */
  seedTarball?: string;
}

/** Postgres compiled to WASM, in-process: the zero-setup default. One connection, queries queue. */
export class PgliteDatabase extends Database {
  readonly driver = 'pglite';

  private constructor(private readonly db: PGlite) {
    super();
  }

  static async open(dataDir: string, options: PgliteOpenOptions = {}): Promise<PgliteDatabase> {
    const onDisk = !dataDir.includes('://');
    if (onDisk) mkdirSync(dataDir, { recursive: true });
    const isNew = onDisk
      ? !existsSync(join(dataDir, 'PG_VERSION'))
      : dataDir.startsWith('memory://');
    const db = await PGlite.create(dataDir, {
      loadDataDir: options.seedTarball && isNew ? await openAsBlob(options.seedTarball) : undefined,
    });
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

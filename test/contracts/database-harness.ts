import type { Database } from '../../src/common/database/database';
import { migrate } from '../../src/common/database/migrator';

/**
 * What the repository contract needs from a storage backend. Every test asks for its own empty
 * database, so no test can pass or fail because of rows another one left behind (the pruner,
 * for one, acts on every task it can see).
 */
export interface DatabaseHarness {
  readonly name: string;
  setUp(): Promise<void>;
  /** A database that no other test sees and that has no tables yet. */
  emptyDatabase(): Promise<Database>;
  /**
   * An independent second connection to the database `emptyDatabase` returned last, for the
   * concurrency tests; absent where the backend has a single connection (PGlite).
   */
  secondConnection?(): Promise<Database>;
  /** Closes every connection and removes whatever the harness created. */
  tearDown(): Promise<void>;
}

/** A fresh database with the schema of supabase/migrations applied. */
export async function migratedDatabase(harness: DatabaseHarness): Promise<Database> {
  const db = await harness.emptyDatabase();
  await migrate(db);
  return db;
}

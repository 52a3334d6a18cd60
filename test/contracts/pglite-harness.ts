import { PgliteWorkerDatabase } from '../../src/common/database/pglite-worker-database';
import { pgliteSeed } from '../utils/pglite-seed';
import type { DatabaseHarness } from './database-harness';

/**
 * PGlite in memory. Starting a PGlite instance costs seconds, so the suite shares one and gives
 * each test its own schema instead: the same isolation PostgreSQL gives, and PGlite's single
 * connection keeps the `search_path` set here until the next test moves it.
 */
export function pgliteHarness(): DatabaseHarness {
  let db: PgliteWorkerDatabase | undefined;
  let schemas = 0;
  return {
    name: 'PGlite (memory://, worker thread)',
    async setUp() {
      db = await PgliteWorkerDatabase.open('memory://', { seedTarball: pgliteSeed() });
    },
    async emptyDatabase() {
      if (!db) throw new Error('pgliteHarness: setUp() has not run');
      const schema = `contract_${++schemas}`;
      await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
      return db;
    },
    async tearDown() {
      await db?.close();
    },
  };
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteWorkerDatabase } from './pglite-worker-database';

const MB = 2 ** 20;

describe('PgliteWorkerDatabase', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'a2a-pglite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a new database in a worker of its own, so that initdb's memory is given back", async () => {
    const before = process.memoryUsage().rss;
    const db = await PgliteWorkerDatabase.open(join(dir, 'data'));
    try {
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
      // initdb grows PGlite's WASM memory by some 750 MB, which the instance that ran it keeps;
      // the instance that serves opens the files afresh (about 250 MB).
      expect((process.memoryUsage().rss - before) / MB).toBeLessThan(450);
    } finally {
      await db.close();
    }
  }, 60_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// initdb in WASM costs seconds, and every e2e suite and PGlite contract suite would run it again.
// So `npm test` runs it once (jest globalSetup) and every PGlite database of the run starts from a
// copy of the fresh cluster (PGLITE_SEED_TARBALL): still real PGlite, and the gateway still
// applies its migrations at start-up as in production.
const SEED_ENV = 'A2A_GATEWAY_TEST_PGLITE_SEED';

/** This run's seed tarball; undefined where no globalSetup made one (a database then runs initdb). */
export function pgliteSeed(): string | undefined {
  return process.env[SEED_ENV] || undefined;
}

/** jest globalSetup: a fresh PGlite cluster as a tarball under the OS temp directory. */
export async function createPgliteSeed(): Promise<void> {
  const db = await PGlite.create('memory://');
  const tarball = await db.dumpDataDir('none');
  await db.close();
  const path = join(mkdtempSync(join(tmpdir(), 'a2a-gateway-pglite-seed-')), 'seed.tar');
  writeFileSync(path, new Uint8Array(await tarball.arrayBuffer()));
  // Inherited by the test workers, which jest starts after globalSetup.
  process.env[SEED_ENV] = path;
}

/** jest globalTeardown. */
export function removePgliteSeed(): void {
  const path = pgliteSeed();
  if (path) rmSync(dirname(path), { recursive: true, force: true });
}

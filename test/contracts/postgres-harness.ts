import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Database } from '../../src/common/database/database';
import { PostgresDatabase } from '../../src/common/database/postgres-database';
import type { DatabaseHarness } from './database-harness';

/** The machine's PostgreSQL (see ARCHITECTURE.md); TEST_POSTGRES_URL points elsewhere. */
const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/**
 * Real PostgreSQL. Each run creates its own database, so concurrent runs (other engineers, CI)
 * share neither rows nor advisory locks (they are per database: the pruner's try-lock would
 * otherwise fail now and then), and drops it at the end. Each test gets a schema of its own
 * in it, reached through `search_path` on every connection of its pool.
 */
export function postgresHarness(): DatabaseHarness &
  Required<Pick<DatabaseHarness, 'secondConnection'>> {
  const runDatabase = `a2a_contract_${process.pid}_${randomBytes(4).toString('hex')}`;
  const runUrl = new URL(SERVER_URL);
  runUrl.pathname = `/${runDatabase}`;
  const pools: Database[] = [];
  let admin: Client | undefined;
  let schemas = 0;
  let currentUrl: string | undefined;

  const open = (url: string): Database => {
    const db = new PostgresDatabase(url, 4);
    pools.push(db);
    return db;
  };

  return {
    name: 'PostgreSQL',
    async setUp() {
      const server = new Client({ connectionString: SERVER_URL });
      await server.connect();
      try {
        await server.query(`CREATE DATABASE ${runDatabase}`);
      } finally {
        await server.end();
      }
      admin = new Client({ connectionString: runUrl.toString() });
      await admin.connect();
    },
    async emptyDatabase() {
      if (!admin) throw new Error('postgresHarness: setUp() has not run');
      const schema = `contract_${++schemas}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(runUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      currentUrl = url.toString();
      return open(currentUrl);
    },
    secondConnection() {
      if (!currentUrl) throw new Error('postgresHarness: no emptyDatabase() yet');
      return Promise.resolve(open(currentUrl));
    },
    async tearDown() {
      await Promise.all(pools.splice(0).map((db) => db.close()));
      await admin?.end();
      const server = new Client({ connectionString: SERVER_URL });
      await server.connect();
      try {
        await server.query(`DROP DATABASE IF EXISTS ${runDatabase} WITH (FORCE)`);
      } finally {
        await server.end();
      }
    },
  };
}

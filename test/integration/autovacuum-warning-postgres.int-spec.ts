import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { AUTOVACUUM_OFF_WARNING } from '../../src/common/database/autovacuum-check';
import {
  createTestDatabase,
  POSTGRES_SERVER_URL,
  type TestDatabase,
} from '../utils/postgres-test-database';
import { startTestApp, type TestApp } from '../utils/test-app';

async function serverAutovacuum(): Promise<string> {
  const admin = new Client({ connectionString: POSTGRES_SERVER_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ autovacuum: string }>('SHOW autovacuum');
    return rows[0].autovacuum;
  } finally {
    await admin.end();
  }
}

// A PostgreSQL without autovacuum never analyzes the task tables as they grow, and the batch
// statement's plans go stale (docs/benchmarks-history.md, session 10): the operator is told at
// start. This machine's server runs with it off, so here the warning must appear; with it on, it
// must not.
describe('the gateway starting on PostgreSQL', () => {
  let database: TestDatabase;
  let app: TestApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('a2a_autovacuum');
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('warns when the server runs without autovacuum, and only then', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      app = await startTestApp({ STORAGE_DRIVER: 'postgres', DATABASE_URL: database.url });
      const warned = warn.mock.calls.some(([message]) => message === AUTOVACUUM_OFF_WARNING);
      expect(warned).toBe((await serverAutovacuum()) === 'off');
    } finally {
      warn.mockRestore();
    }
  });
});

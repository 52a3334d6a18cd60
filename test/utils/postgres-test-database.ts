import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the integration suites use; each suite works in a database of its own on it. */
export const POSTGRES_SERVER_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  /** The connection string of the new database. */
  url: string;
  /** Drops it, closing whatever is still connected. */
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const server = new Client({ connectionString: POSTGRES_SERVER_URL });
  await server.connect();
  try {
    await server.query(sql);
  } finally {
    await server.end();
  }
}

/** A fresh, empty database named `<prefix>_<pid>_<random>` on the test server. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

// A clean `bench` database for each gateway run on postgres, so no run sees another's tasks.
import { execFileSync } from 'node:child_process';

export const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/bench';

function psql(database: string, ...statements: string[]): string {
  return execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      database,
      '-v',
      'ON_ERROR_STOP=1',
      '-qAt',
      ...statements.flatMap((statement) => ['-c', statement]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, encoding: 'utf8' },
  );
}

export function recreateBenchDatabase(): void {
  psql('postgres', 'DROP DATABASE IF EXISTS bench WITH (FORCE)', 'CREATE DATABASE bench');
}

let autovacuum: boolean | undefined;

/**
 * Whether the server runs autovacuum. This machine's PostgreSQL has it off, and then nothing
 * analyzes a table that grew from empty to 10,000 tasks during setup.
 */
export function autovacuumIsOn(): boolean {
  // A server setting: asked once per run, not once per scenario.
  autovacuum ??= psql('postgres', 'SHOW autovacuum').trim() === 'on';
  return autovacuum;
}

/**
 * What autoanalyze does on a server configured for production, once the setup has created the
 * tasks: statistics for the planner. Without them a connection keeps the generic plan it made
 * for the batch statement while `tasks` was nearly empty, a sequential scan of every task per
 * commit, and a round whose commits land on that connection costs PostgreSQL twice the CPU
 * (docs/benchmarks-history.md, session 10). ANALYZE also invalidates that plan.
 */
export function analyzeBenchDatabase(): void {
  psql('bench', 'ANALYZE');
}

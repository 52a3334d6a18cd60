// A clean `bench` database for each gateway run on postgres, so no run sees another's tasks.
import { execFileSync } from 'node:child_process';

export const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/bench';

export function recreateBenchDatabase(): void {
  execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      'DROP DATABASE IF EXISTS bench WITH (FORCE)',
      '-c',
      'CREATE DATABASE bench',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
  );
}

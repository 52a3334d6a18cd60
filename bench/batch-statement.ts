// The statement that stores a batch, timed from this thread (no HTTP; PGlite in this thread, not in
// its worker): as the gateway runs it (prepared, tables analyzed) against the same statement
// unprepared, which is how PGlite's own query() ran every statement, in the same run. Each line
// gives this process's CPU per batch (on postgres, the repository's and pg's share of a commit;
// on PGlite, the database's too) and, on postgres, its backend's. It prints which plans the
// prepared one ran on: PostgreSQL decides between a generic plan and one per call from the
// statement's first five calls. Each timed event is a chunk on a task that has only its first
// event (bench c's case, where a chunk makes the first update of its task's row); the last variant
// gives every task one chunk first, so the timed chunks make the second update of their rows, as
// they did before tasks were created in the log's commit.
//   npm run build && npx tsx bench/batch-statement.ts [--storage pglite|postgres] [--tasks 10000]
//                                                     [--batch 10] [--rounds 300]
// On postgres it uses (and recreates) the database `bench` of the local server, as bench/run.ts.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { flagValue } from './lib/cli-options';
import { CLOCK_TICKS_PER_SECOND, readCpuTicks } from './lib/proc-stats';
import { analyzeBenchDatabase, BENCH_DATABASE_URL, recreateBenchDatabase } from './lib/postgres-db';

interface Db {
  query(sql: string, params?: unknown[], options?: { prepareAs?: string }): Promise<unknown[]>;
  close(): Promise<void>;
}
interface PgliteDb extends Db {
  analyzeGrownTables(): Promise<string[]>;
}
type Item = { kind: string; [key: string]: unknown };
interface Repositories {
  appendBatch(items: Item[], now: Date): Promise<unknown>;
}

// The built gateway (`npm run build`), as bench/run.ts starts it.
const load = createRequire(__filename);
const dist = (path: string) => load(`../dist/src/${path}`) as Record<string, unknown>;
const { PgliteDatabase } = dist('common/database/pglite-database') as {
  PgliteDatabase: { open(dir: string): Promise<PgliteDb> };
};
const { PostgresDatabase } = dist('common/database/postgres-database') as {
  PostgresDatabase: new (url: string, poolSize: number) => Db;
};
const { migrate } = dist('common/database/migrator') as { migrate: (db: Db) => Promise<string[]> };
const { loadConfig } = dist('config/app-config') as { loadConfig: (env: object) => unknown };
const { SqlTaskMessagesRepository } = dist(
  'modules/task-messages/repositories/sql-task-messages.repository',
) as { SqlTaskMessagesRepository: new (db: Db, config: unknown) => Repositories };

const flag = (name: string, fallback: number) => Number(flagValue(process.argv, name) ?? fallback);
const TASKS = flag('--tasks', 10_000);
const BATCH = flag('--batch', 10);
const ROUNDS = flag('--rounds', 300);
const STORAGE = flagValue(process.argv, '--storage') ?? 'pglite';
if (STORAGE !== 'pglite' && STORAGE !== 'postgres')
  throw new Error('--storage: pglite or postgres');

/** A fresh database, and how the gateway analyzes it once its tables have grown. */
async function openDatabase(): Promise<{ db: Db; analyze: () => Promise<void> }> {
  if (STORAGE === 'pglite') {
    const db = await PgliteDatabase.open('memory://');
    return { db, analyze: async () => void (await db.analyzeGrownTables()) };
  }
  recreateBenchDatabase();
  // One connection, so that every statement runs on the session whose plans are counted.
  const db = new PostgresDatabase(BENCH_DATABASE_URL, 1);
  return { db, analyze: () => Promise.resolve(analyzeBenchDatabase()) };
}

/** Tasks created per commit in the setup, as concurrent creates share one. */
const CREATE_BATCH = 100;

const VARIANTS = [
  'unprepared',
  'prepared, analyzed (gateway)',
  'prepared, rows updated before',
] as const;
type Variant = (typeof VARIANTS)[number];

async function measure(variant: Variant): Promise<string> {
  const { db, analyze } = await openDatabase();
  await migrate(db);
  const executor: Db = Object.create(db) as Db;
  if (variant === 'unprepared') executor.query = (sql, params) => db.query(sql, params);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PGLITE_DATA_DIR: 'memory://',
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef',
    WEBHOOK_SECRET: 'bench-webhook-secret-0123456789ab',
  });
  const messages = new SqlTaskMessagesRepository(executor, config);
  const ids: string[] = [];
  const now = new Date();
  const status = { state: 'TASK_STATE_SUBMITTED', timestamp: now.toISOString() };
  for (let i = 0; i < TASKS; i += CREATE_BATCH) {
    const creates: Item[] = [];
    for (let k = i; k < Math.min(i + CREATE_BATCH, TASKS); k++) {
      const id = randomUUID();
      const task = {
        id,
        org: 'bench',
        agent: 'relay',
        owner: 'bench',
        contextId: `ctx-${k}`,
        parentTaskId: null,
        state: status.state,
        status,
        history: [],
        metadata: {},
        createdAt: now,
      };
      creates.push({ kind: 'create', task });
      ids.push(id);
    }
    await messages.appendBatch(creates, now);
  }
  // Chunks are numbered from the last one stored, so the timed ones follow on.
  let sent = 0;
  const chunks = (count: number): Item[] =>
    Array.from({ length: count }, () => {
      const n = sent++;
      const event = {
        taskId: ids[n % TASKS],
        sequence: Math.floor(n / TASKS) + 1,
        type: 'chunk',
        chunk: 'token ',
        artifactId: 'a1',
        isLast: false,
      };
      return { kind: 'worker', event };
    });
  if (variant === 'prepared, rows updated before') {
    for (let i = 0; i < TASKS; i += CREATE_BATCH)
      await messages.appendBatch(chunks(CREATE_BATCH), now);
  }
  if (variant !== 'unprepared') await analyze();
  const before = await planCounts(db);
  const times: number[] = [];
  // One connection on postgres (openDatabase), so this backend runs every timed statement.
  const backend =
    STORAGE === 'postgres'
      ? ((await db.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0].pid
      : null;
  const backendBefore = backend === null ? null : readCpuTicks(backend);
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) {
    const items = chunks(BATCH);
    const started = performance.now();
    await messages.appendBatch(items, new Date());
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const backendAfter = backend === null ? null : readCpuTicks(backend);
  const after = await planCounts(db);
  await db.close();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.floor(q * (times.length - 1))].toFixed(2);
  const planNote =
    variant === 'unprepared'
      ? ''
      : `   plans: ${after.generic - before.generic} generic, ${after.custom - before.custom} custom`;
  const cpuPerBatch = ((cpu.user + cpu.system) / ROUNDS).toFixed(0);
  const backendUs =
    backendBefore === null || backendAfter === null
      ? null
      : ((backendAfter - backendBefore) / CLOCK_TICKS_PER_SECOND) * 1e6;
  const backendNote = backendUs === null ? '' : `, its backend ${(backendUs / ROUNDS).toFixed(0)}`;
  return `${variant.padEnd(30)} p50 ${at(0.5)} ms   p90 ${at(0.9)} ms   this process ${cpuPerBatch} µs CPU per batch${backendNote}${planNote}`;
}

/**
 * Plans made so far for the prepared batch statements. PostgreSQL picks a generic plan or one per
 * call (custom) by its own estimates, and the timings differ by which: the output says which ran.
 */
async function planCounts(db: Db): Promise<{ generic: number; custom: number }> {
  const rows = (await db.query(
    "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'append-%'",
  )) as { generic_plans: string; custom_plans: string }[];
  return {
    generic: rows.reduce((n, r) => n + Number(r.generic_plans), 0),
    custom: rows.reduce((n, r) => n + Number(r.custom_plans), 0),
  };
}

async function main(): Promise<void> {
  process.stdout.write(
    `${STORAGE}, ${TASKS} tasks, batches of ${BATCH} events, ${ROUNDS} batches\n`,
  );
  for (const variant of VARIANTS) process.stdout.write(`${await measure(variant)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

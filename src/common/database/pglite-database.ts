import { existsSync, mkdirSync, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Pool } from 'pg';
import { PgPoolDatabase } from './pg-pool-database';

export interface PgliteOpenOptions {
  /** WAL since the last checkpoint at which maintenance checkpoints (tests lower it). */
  checkpointWalBytes?: number;
  /**
   * A tarball of a PGlite data directory (PGlite's `dumpDataDir()`) that a new database starts
   * from instead of running initdb, which takes seconds; a database that exists ignores it.
   */
  seedTarball?: string;
}

/** How often PGlite's tables are checked for growth since their last ANALYZE. */
const ANALYZE_CHECK_MS = 5_000;
/**
 * WAL written since the last checkpoint (bytes) at which a maintenance round checkpoints: four
 * segments. PGlite is a single-user backend, with no checkpointer and so no checkpoint_timeout:
 * 50,000 inserts of 1 kB left four 16 MB segments and no checkpoint (session 11). Left alone, the
 * WAL grows towards max_wal_size (1 GB), on disk or, for `memory://`, in memory, and every new
 * segment is created by the statement that needs it. After a checkpoint, old segments are
 * recycled instead.
 */
const CHECKPOINT_WAL_BYTES = 64 * 1024 * 1024;
/** Every this many checks PGlite is vacuumed too: 15 minutes, the pruner's default period. */
const VACUUM_EVERY_CHECKS = 180;

/**
 * The event log, which is never analyzed: the prepared statements only insert into it, and every
 * statement that reads it is planned afresh and finds rows by key. It is the largest table and
 * grows fastest, so it is the ANALYZE that would stop every commit longest (bench b, 10,000
 * events stored in 5 s: two of 7.6 and 15 ms while streaming).
 */
const NEVER_ANALYZED = ['task_message_blocks'];

/**
 * Tables holding twice the pages they had when last analyzed (or 8, never analyzed). Autovacuum
 * would analyze at a tenth more rows; ANALYZE stops PGlite's only connection for its duration
 * (`tasks` at 10,000 rows: 42 ms), so here it runs once per doubling.
 */
const GROWN_TABLES_SQL = `
  SELECT quote_ident(c.relname) AS name FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> ALL($1::text[])
     AND pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(c.relpages * 2, 8)`;

export function isOnDisk(dataDir: string): boolean {
  return !dataDir.includes('://');
}

/** Whether opening `dataDir` creates the database (initdb, or the seed tarball). */
export function isNewDataDir(dataDir: string): boolean {
  return isOnDisk(dataDir)
    ? !existsSync(join(dataDir, 'PG_VERSION'))
    : dataDir.startsWith('memory://');
}

/**
 * Postgres compiled to WASM, in-process: the zero-setup default. Statements reach it through
 * PGlite's node-postgres adapter, on one connection, as they reach PostgreSQL. PGlite's own
 * query() parses and plans every statement each time; through the adapter the hot statements
 * are prepared once (`bench/batch-statement.ts`, storing 10 events among 10,000 tasks: 1.32 ms
 * per statement unprepared, 0.70 ms prepared).
 */
export class PgliteDatabase extends PgPoolDatabase {
  readonly driver = 'pglite';
  private readonly maintenance: NodeJS.Timeout;
  private checks = 0;

  private constructor(
    private readonly pglite: PGlite,
    private readonly checkpointWalBytes: number,
  ) {
    // PGlite is one session: a pool of one connection queues statements and transactions.
    super(new Pool({ ...createPgConfig(pglite), max: 1 }));
    this.maintenance = setInterval(() => {
      // A failed round changes nothing; the next one tries again.
      this.maintain().catch(() => undefined);
    }, ANALYZE_CHECK_MS).unref();
  }

  static async open(dataDir: string, options: PgliteOpenOptions = {}): Promise<PgliteDatabase> {
    const isNew = isNewDataDir(dataDir);
    if (isOnDisk(dataDir)) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir, {
      loadDataDir: options.seedTarball && isNew ? await openAsBlob(options.seedTarball) : undefined,
    });
    // A new WAL segment is otherwise filled with 16 MB of zeros by the statement that needs it:
    // 148-237 ms on session 11's host, one such statement in every 5 s of bench b. PGlite is
    // one session, so SET holds for every statement. (Zero-filling reserves the disk room early;
    // a full disk stops PostgreSQL either way.)
    await pglite.exec('SET wal_init_zero = off');
    return new PgliteDatabase(pglite, options.checkpointWalBytes ?? CHECKPOINT_WAL_BYTES);
  }

  /**
   * Checkpoints when the WAL written since the last checkpoint has reached the threshold, so the
   * WAL stays a few segments long and its segments are recycled instead of created. Returns
   * whether it checkpointed. Holds PGlite's one connection while it writes the dirty pages.
   */
  async checkpointIfWalGrew(): Promise<boolean> {
    const [{ bytes }] = await this.query<{ bytes: string }>(
      'SELECT pg_current_wal_lsn() - redo_lsn AS bytes FROM pg_control_checkpoint()',
    );
    if (Number(bytes) < this.checkpointWalBytes) return false;
    await this.query('CHECKPOINT');
    return true;
  }

  /**
   * PGlite runs no autovacuum, so nothing else refreshes the planner's statistics, and a
   * prepared statement keeps the plan it got while its tables were small: storing a batch of 10
   * events among 10,000 tasks took 3.3 ms with the sequential scan planned at start, 0.8 ms once
   * `tasks` was analyzed (ANALYZE also makes cached plans plan afresh). Returns the tables
   * analyzed.
   */
  async analyzeGrownTables(): Promise<string[]> {
    const grown = await this.query<{ name: string }>(GROWN_TABLES_SQL, [NEVER_ANALYZED]);
    for (const { name } of grown) await this.query(`ANALYZE ${name}`);
    return grown.map((t) => t.name);
  }

  /**
   * Nor does anything else reclaim space: rows the pruner deletes stay unusable until a VACUUM
   * records their room as free, so without it the embedded database only grows. Plain VACUUM:
   * PGlite's one connection waits for it, and pages untouched since the last one are skipped.
   */
  async vacuum(): Promise<void> {
    await this.query('VACUUM');
  }

  private async maintain(): Promise<void> {
    await this.checkpointIfWalGrew();
    await this.analyzeGrownTables();
    if (++this.checks % VACUUM_EVERY_CHECKS === 0) await this.vacuum();
  }

  override async close(): Promise<void> {
    clearInterval(this.maintenance);
    await super.close();
    if (!this.pglite.closed) await this.pglite.close();
  }
}

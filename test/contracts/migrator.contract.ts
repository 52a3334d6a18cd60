import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/common/database/database';
import { findMigrationsDir, migrate } from '../../src/common/database/migrator';
import type { DatabaseHarness } from './database-harness';

/** The versions of supabase/migrations, in the order they must apply. */
const VERSIONS = readdirSync(findMigrationsDir())
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => f.replace(/\.sql$/, ''));

async function recorded(db: Database): Promise<string[]> {
  const rows = await db.query<{ version: string }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.map((r) => r.version);
}

async function tablesOf(db: Database): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/**
 * Applies the migrations older than `version`, runs `between` on that schema (data as an older
 * gateway stored it), then applies the rest; returns what the second run applied.
 */
async function migrateAcross(
  db: Database,
  version: string,
  between: () => Promise<void>,
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  const copy = (versions: string[]) => {
    for (const v of versions)
      copyFileSync(join(findMigrationsDir(), `${v}.sql`), join(dir, `${v}.sql`));
  };
  try {
    copy(VERSIONS.filter((v) => v < version));
    await migrate(db, dir);
    await between();
    copy(VERSIONS.filter((v) => v >= version));
    return await migrate(db, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The migrator: applies pending files once, records them, and is safe to run again or at once. */
export function describeMigratorContract(harness: DatabaseHarness): void {
  describe('migrate', () => {
    it('applies every migration to an empty database and records it', async () => {
      const db = await harness.emptyDatabase();
      expect(VERSIONS.length).toBeGreaterThan(0);

      expect(await migrate(db)).toEqual(VERSIONS);
      expect(await recorded(db)).toEqual(VERSIONS);
      // Later migrations add tables of their own; these are the ones the repositories use.
      expect(await tablesOf(db)).toEqual(
        expect.arrayContaining([
          'schema_migrations',
          'task_message_blocks',
          'task_message_pending',
          'tasks',
        ]),
      );
    });

    it('applying twice is a no-op that keeps the data', async () => {
      const db = await harness.emptyDatabase();
      await migrate(db);
      await db.query(
        `INSERT INTO tasks (id, org, agent, owner, context_id, state, status)
         VALUES ('00000000-0000-4000-8000-000000000001', 'acme', 'writer', 'alice', 'c', 'TASK_STATE_SUBMITTED', '{}')`,
      );

      expect(await migrate(db)).toEqual([]);
      expect(await recorded(db)).toEqual(VERSIONS);
      expect(await db.query('SELECT id FROM tasks')).toEqual([
        { id: '00000000-0000-4000-8000-000000000001' },
      ]);
    });

    it('applies only the migrations that are new since the last run', async () => {
      const db = await harness.emptyDatabase();
      await migrate(db);
      const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
      try {
        for (const version of VERSIONS)
          copyFileSync(join(findMigrationsDir(), `${version}.sql`), join(dir, `${version}.sql`));
        writeFileSync(
          join(dir, '99990101000000_later.sql'),
          '-- a later change\nCREATE TABLE later (id int PRIMARY KEY);\nINSERT INTO later VALUES (1);\n',
        );

        expect(await migrate(db, dir)).toEqual(['99990101000000_later']);
        expect(await migrate(db, dir)).toEqual([]);
        expect(await recorded(db)).toEqual([...VERSIONS, '99990101000000_later']);
        expect(await db.query('SELECT id FROM later')).toEqual([{ id: 1 }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('20261122020000 keeps the gaps already in each log as skipped, then drops the sequence index', async () => {
      const version = '20261122020000_task_skipped_sequences';
      const db = await harness.emptyDatabase();
      const task = async (n: number, prunedThrough: number, sequences: number[]) => {
        const id = `00000000-0000-4000-8000-00000000000${n}`;
        await db.query(
          `INSERT INTO tasks (id, org, agent, owner, context_id, state, status,
                              last_sequence, last_event_id, pruned_through_event_id)
           VALUES ($1, 'acme', 'writer', 'alice', 'c', 'TASK_STATE_WORKING', '{}', $2, $3, $4)`,
          [id, Math.max(...sequences), prunedThrough + sequences.length, prunedThrough],
        );
        for (const [i, sequence] of sequences.entries())
          await db.query(
            `INSERT INTO task_messages (task_id, event_id, sequence, type, payload, expires_at)
             VALUES ($1, $2, $3, 'artifact-update', '{}', now())`,
            [id, prunedThrough + i + 1, sequence],
          );
        return id;
      };
      const ids: string[] = [];

      expect(
        await migrateAcross(db, version, async () => {
          ids.push(await task(1, 0, [1, 3, 4, 7]));
          ids.push(await task(2, 0, [3, 4]));
          ids.push(await task(3, 4, [5, 6, 8]));
        }),
      ).toEqual(VERSIONS.filter((v) => v >= version));
      const [gaps, lateStart, pruned] = ids;
      const rows = await db.query<{ id: string; skipped_sequences: number[] }>(
        'SELECT id, skipped_sequences FROM tasks ORDER BY id',
      );
      expect(rows).toEqual([
        { id: gaps, skipped_sequences: [2, 2, 5, 6] },
        { id: lateStart, skipped_sequences: [1, 2] },
        // What came before the first event left after pruning is not known: not recorded.
        { id: pruned, skipped_sequences: [7, 7] },
      ]);
      expect(
        await db.query(
          "SELECT conname FROM pg_constraint WHERE conname = 'task_messages_task_sequence'",
        ),
      ).toEqual([]);
    });

    it('20261205000000 moves each stored event into a block of its own, read back as it was', async () => {
      const version = '20261205000000_task_message_blocks';
      const db = await harness.emptyDatabase();
      const id = '00000000-0000-4000-8000-000000000001';
      // Payloads as written, spaces included: the log keeps the text, not just its value.
      const events = [
        [1, null, 'status-update', '{"statusUpdate" : {}}', '2026-01-01T00:00:00Z'],
        [2, 1, 'artifact-update', '{"artifactUpdate":{"n":1}}', '2026-01-01T00:00:01Z'],
        [3, 2, 'artifact-update', '{"artifactUpdate":  {"n":2}}', '2026-01-01T00:00:02Z'],
      ] as const;

      expect(
        await migrateAcross(db, version, async () => {
          await db.query(
            `INSERT INTO tasks (id, org, agent, owner, context_id, state, status, last_event_id)
             VALUES ($1, 'acme', 'writer', 'alice', 'c', 'TASK_STATE_WORKING', '{}', 3)`,
            [id],
          );
          for (const [eventId, sequence, type, payload, created] of events)
            await db.query(
              `INSERT INTO task_messages (task_id, event_id, sequence, type, payload, created_at, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $6::timestamptz + interval '1 hour')`,
              [id, eventId, sequence, type, payload, created],
            );
        }),
      ).toEqual(VERSIONS.filter((v) => v >= version));
      const read = await db.query<Record<string, unknown>>(
        `SELECT event_id, sequence, type, payload::text AS payload, created_at, expires_at
           FROM task_events($1, 0, 2147483647)`,
        [id],
      );
      expect(read).toEqual(
        events.map(([eventId, sequence, type, payload, created]) => ({
          event_id: eventId,
          sequence,
          type,
          payload,
          created_at: new Date(created),
          expires_at: new Date(new Date(created).getTime() + 3_600_000),
        })),
      );
      expect(await db.query('SELECT last_event_id FROM task_message_blocks')).toHaveLength(3);
      expect(await tablesOf(db)).not.toContain('task_messages');
    });

    it('two migrate() calls at once both succeed and apply each migration once', async () => {
      const first = await harness.emptyDatabase();
      // Two independent connections where the backend has them, so the calls really race.
      const second = (await harness.secondConnection?.()) ?? first;
      await Promise.all([first.query('SELECT 1'), second.query('SELECT 1')]);

      const results = await Promise.all([migrate(first), migrate(second)]);

      expect(results.map((applied) => applied.length).sort()).toEqual([0, VERSIONS.length]);
      expect(results.flat()).toEqual(VERSIONS);
      expect(await recorded(first)).toEqual(VERSIONS);
      expect(await recorded(second)).toEqual(VERSIONS);
    });
  });
}

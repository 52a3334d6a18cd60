import type { Database, SqlExecutor } from '../../src/common/database/database';
import type { BatchResult } from '../../src/modules/task-messages/append-item';
import { at, chunk, stored } from '../contracts/contract-fixtures';
import { postgresHarness } from '../contracts/postgres-harness';
import {
  freshRepositories,
  type RepositoriesUnderTest,
  startedTask,
} from '../contracts/repositories-under-test';

// The pruner, and another instance's locking transaction, lock task rows in id order; a batch's
// UPDATE locks them in the order its plan visits them. A batch holding a higher id while it waits
// for a lower one waits for a transaction that waits for it, until PostgreSQL's deadlock check
// fails one of them. (PGlite has a single session, so this can only be shown here.)
describe('a batch on PostgreSQL and a transaction locking the same tasks', () => {
  const harness = postgresHarness();
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  let repos: RepositoriesUnderTest;
  let observer: Database;
  let otherInstance: Database;
  let high: { id: string };
  let low: { id: string };

  beforeEach(async () => {
    repos = await freshRepositories(harness);
    // The higher id is created first and comes first in the batch: the heap's order and the
    // batch's own order both meet it before the lower one.
    high = await startedTask(repos, { id: 'ffffffff-0000-4000-8000-000000000001' });
    low = await startedTask(repos, { id: '00000000-0000-4000-8000-000000000001' });
    observer = await harness.secondConnection();
    otherInstance = await harness.secondConnection();
  });

  /**
   * Runs `first` in the other instance's transaction, starts the batch, and once the batch waits
   * for a lock runs `then` there and commits. Settles with the batch.
   */
  async function batchMeeting(
    first: (tx: SqlExecutor) => Promise<unknown>,
    then: (tx: SqlExecutor) => Promise<unknown>,
  ): Promise<BatchResult> {
    let batch: Promise<BatchResult> | undefined;
    await otherInstance.transaction(async (tx) => {
      await first(tx);
      batch = repos.messages.appendBatch([chunk(high.id, 1, 'h'), chunk(low.id, 1, 'l')], at(1));
      batch.catch(() => undefined);
      await untilSomeoneWaitsForALock(observer);
      await then(tx);
    });
    if (!batch) throw new Error('The batch did not start');
    return batch;
  }

  it('locks in id order, so one that locks in id order never deadlocks with it', async () => {
    const result = await batchMeeting(
      (tx) => tx.query('SELECT 1 FROM tasks WHERE id = $1 FOR UPDATE', [low.id]),
      async (tx) => {
        // This side's deadlock check runs first: had the batch taken the higher id, this
        // statement, not the batch, would fail.
        await tx.query("SET LOCAL deadlock_timeout = '10ms'");
        await tx.query('SELECT 1 FROM tasks WHERE id = $1 FOR UPDATE', [high.id]);
      },
    );
    expect(result.outcomes).toEqual([stored(2), stored(2)]);
  });

  it('is stored when it is chosen as a deadlock victim', async () => {
    // Whatever order the batch locks the task rows in, it then waits to insert an event id this
    // transaction holds, and this transaction waits for a row the batch has locked.
    const result = await batchMeeting(
      (tx) =>
        tx.query(
          `INSERT INTO task_message_blocks
                  (task_id, first_event_id, last_event_id, types, sequences, payloads, expires_at)
           VALUES ($1, 2, 2, '{artifact-update}', '{NULL}', '[{}]', now())`,
          [high.id],
        ),
      async (tx) => {
        await tx.query('SELECT 1 FROM tasks WHERE id = $1 FOR UPDATE', [high.id]);
        await tx.query('ROLLBACK AND CHAIN');
      },
    );
    expect(result.outcomes).toEqual([stored(2), stored(2)]);
    const [log] = await observer.query<{ events: number }>(
      'SELECT count(*)::int AS events FROM task_events($1, 0, 2147483647)',
      [high.id],
    );
    expect(log.events).toBe(2);
  });
});

async function untilSomeoneWaitsForALock(db: Database): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [row] = await db.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('The batch never waited for a lock');
}

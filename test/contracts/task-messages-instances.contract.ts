import type { Database } from '../../src/common/database/database';
import { SqlTaskMessagesRepository } from '../../src/modules/task-messages/repositories/sql-task-messages.repository';
import type { NewTask } from '../../src/modules/tasks/task-record';
import { testConfig } from '../utils/test-app';
import {
  at,
  chunk,
  chunksOf,
  DUPLICATE,
  gatewayStatus,
  newTask,
  created,
  parsed,
  refused,
  stored,
  WAITING,
  workerStatus,
} from './contract-fixtures';
import { type DatabaseHarness, migratedDatabase } from './database-harness';

/**
 * Two gateway instances writing the same tasks. Each repository keeps the task rows it last
 * wrote and writes conditionally on them, so each instance's rows go stale whenever the other
 * one writes: these cases check that a stale row costs a retry and never a wrong id, a lost or
 * doubled event, or a wrong refusal.
 */
export function describeInstancesContract(harness: DatabaseHarness): void {
  describe('SqlTaskMessagesRepository on two instances sharing one database', () => {
    let db: Database;
    let a: SqlTaskMessagesRepository;
    let b: SqlTaskMessagesRepository;
    let task: NewTask;

    beforeEach(async () => {
      db = await migratedDatabase(harness);
      const second = harness.secondConnection ? await harness.secondConnection() : db;
      const config = testConfig();
      a = new SqlTaskMessagesRepository(db, config);
      b = new SqlTaskMessagesRepository(second, config);
      task = newTask();
      expect((await a.appendBatch([created(task)], at(0))).outcomes).toEqual([stored(1)]);
    });

    const log = () => a.readAfter(task.id, 0, 1000);

    it('continues from what the other instance stored: ids contiguous, each sequence once', async () => {
      expect((await a.appendBatch([chunk(task.id, 1, 'a')], at(1))).outcomes).toEqual([stored(2)]);
      expect((await b.appendBatch([chunk(task.id, 2, 'b')], at(2))).outcomes).toEqual([stored(3)]);
      // a's row says last_event_id 2: its write must not land, the retry must.
      const third = await a.appendBatch([chunk(task.id, 3, 'c')], at(3));
      expect(third.outcomes).toEqual([stored(4)]);
      expect(third.events.map((e) => e.id)).toEqual([4]);
      expect((await b.appendBatch([chunk(task.id, 1, 'a')], at(4))).outcomes).toEqual([DUPLICATE]);

      expect(chunksOf(await log())).toEqual([
        { id: 2, text: 'a', sequence: 1 },
        { id: 3, text: 'b', sequence: 2 },
        { id: 4, text: 'c', sequence: 3 },
      ]);
      expect((await a.position(task, task.id))?.lastEventId).toBe(4);
    });

    it('refuses with TASK_TERMINAL once the other instance ended the task', async () => {
      expect((await a.appendBatch([chunk(task.id, 1, 'a')], at(1))).outcomes).toEqual([stored(2)]);
      expect(
        (await b.appendBatch([gatewayStatus(task.id, 'TASK_STATE_CANCELED', at(2))], at(2)))
          .outcomes,
      ).toEqual([stored(3)]);
      const late = await a.appendBatch([chunk(task.id, 2, 'b')], at(3));
      expect(late.outcomes).toEqual([refused('TASK_TERMINAL')]);
      expect(late.events).toEqual([]);
      expect((await log()).map((e) => e.id)).toEqual([1, 2, 3]);
    });

    it('releases an event one instance holds when the other fills the gap', async () => {
      expect((await a.appendBatch([chunk(task.id, 2, 'b')], at(1))).outcomes).toEqual([WAITING]);
      const filled = await b.appendBatch([chunk(task.id, 1, 'a')], at(2));
      expect(filled.outcomes).toEqual([stored(2)]);
      expect(filled.events.map((e) => e.id)).toEqual([2, 3]);
      expect(filled.tasksWithPending).toEqual([]);
      // a still believes sequence 2 waits; it must learn otherwise before writing.
      expect((await a.appendBatch([chunk(task.id, 2, 'b')], at(3))).outcomes).toEqual([DUPLICATE]);
      expect((await a.appendBatch([chunk(task.id, 3, 'c')], at(4))).outcomes).toEqual([stored(4)]);
      expect(chunksOf(await log()).map((c) => c.sequence)).toEqual([1, 2, 3]);
    });

    it('keeps the sequences a closed gap skipped through later writes: the other instance still refuses them', async () => {
      await a.appendBatch([chunk(task.id, 1, 'a'), chunk(task.id, 3, 'c')], at(1));
      await a.closeGaps(task.id, at(20), at(10));
      // A write that leaves the skipped list as it was.
      expect((await a.appendBatch([chunk(task.id, 4, 'd')], at(21))).outcomes).toEqual([stored(4)]);

      expect((await b.appendBatch([chunk(task.id, 2, 'b')], at(22))).outcomes).toEqual([
        refused('SEQUENCE_SKIPPED'),
      ]);
      expect((await b.appendBatch([chunk(task.id, 3, 'c')], at(22))).outcomes).toEqual([DUPLICATE]);
    });

    it('keeps the status and artifacts that later writes left as they were: the other instance reads them', async () => {
      await a.appendBatch(
        [workerStatus(task.id, 1, 'TASK_STATE_WORKING'), chunk(task.id, 2, 'a')],
        at(1),
      );
      await a.appendBatch([chunk(task.id, 3, 'b', { artifactId: 'a2' })], at(2));
      // Writes that change neither the status nor the artifact list.
      await a.appendBatch([chunk(task.id, 4, 'c')], at(3));
      await a.appendBatch([chunk(task.id, 5, 'd', { artifactId: 'a2' })], at(4));

      const appended = await b.appendBatch(
        [
          chunk(task.id, 6, 'e'),
          chunk(task.id, 7, 'f', { artifactId: 'a2' }),
          chunk(task.id, 8, 'g', { artifactId: 'a3' }),
        ],
        at(5),
      );
      expect(
        appended.events.map(
          (e) => (parsed(e) as { artifactUpdate: { append: boolean } }).artifactUpdate.append,
        ),
      ).toEqual([true, true, false]);
      const [row] = await db.query<{ status: { state: string; timestamp: string } }>(
        'SELECT status FROM tasks WHERE id = $1',
        [task.id],
      );
      expect(row.status).toEqual({ state: 'TASK_STATE_WORKING', timestamp: at(1).toISOString() });
    });

    it('stores every sequence exactly once when both instances send all of them at once', async () => {
      const sequences = 60;
      const send = async (repo: SqlTaskMessagesRepository, size: number): Promise<void> => {
        for (let from = 1; from <= sequences; from += size) {
          const items = [];
          for (let s = from; s < from + size && s <= sequences; s++)
            items.push(chunk(task.id, s, `t${s}`));
          const { outcomes } = await repo.appendBatch(items, at(from));
          for (const outcome of outcomes) expect(outcome.ok).toBe(true);
        }
      };
      await Promise.all([send(a, 3), send(b, 7)]);

      const events = await log();
      expect(events.map((e) => e.id)).toEqual(
        Array.from({ length: sequences + 1 }, (_, i) => i + 1),
      );
      expect(chunksOf(events).map((c) => c.sequence)).toEqual(
        Array.from({ length: sequences }, (_, i) => i + 1),
      );
      const [row] = await db.query<{ pending_count: number; last_sequence: number }>(
        'SELECT pending_count, last_sequence FROM tasks WHERE id = $1',
        [task.id],
      );
      expect(row).toEqual({ pending_count: 0, last_sequence: sequences });
    });
  });
}

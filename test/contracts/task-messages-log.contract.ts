import { randomUUID } from 'node:crypto';
import type { NewTask } from '../../src/modules/tasks/task-record';
import { at, chunk, chunksOf, DUPLICATE, MINUTE, workerStatus } from './contract-fixtures';
import type { DatabaseHarness } from './database-harness';
import {
  freshRepositories,
  type RepositoriesUnderTest,
  startedTask,
  TTL_MINUTES,
} from './repositories-under-test';

const TTL = TTL_MINUTES * MINUTE;

/** TaskMessagesRepository reads and upkeep: readAfter, position, compact, pruneExpired. */
export function describeLogContract(harness: DatabaseHarness): void {
  describe('TaskMessagesRepository reads, compact and pruneExpired', () => {
    let repos: RepositoriesUnderTest;

    beforeEach(async () => {
      repos = await freshRepositories(harness);
    });

    /** The task's text as a reader of the task row sees it (snapshot plus later events). */
    async function artifactText(task: NewTask): Promise<string | undefined> {
      const record = await repos.tasks.findById(task.org, task.id);
      return record?.artifacts.map((a) => a.parts.map((p) => p.text).join('')).join('|');
    }

    async function ids(task: NewTask): Promise<number[]> {
      return (await repos.messages.readAfter(task.id, 0, 1000)).map((e) => e.id);
    }

    it('readAfter returns the events after an id, in id order, at most limit', async () => {
      const task = await startedTask(repos);
      await repos.messages.appendBatch(
        ['a', 'b', 'c', 'd', 'e'].map((text, i) => chunk(task.id, i + 1, text)),
        at(1),
      );

      const middle = await repos.messages.readAfter(task.id, 2, 3);
      expect(middle.map((e) => e.id)).toEqual([3, 4, 5]);
      expect(chunksOf(middle).map((c) => c.text)).toEqual(['b', 'c', 'd']);
      expect(middle.every((e) => e.taskId === task.id && !e.terminal)).toBe(true);
      expect((await repos.messages.readAfter(task.id, 5, 100)).map((e) => e.id)).toEqual([6]);
      expect(await repos.messages.readAfter(task.id, 6, 100)).toEqual([]);
      expect(await repos.messages.readAfter(randomUUID(), 0, 100)).toEqual([]);
      expect(await repos.messages.readAfter('not-a-uuid', 0, 100)).toEqual([]);
    });

    it('readAfter marks the event that ended the task as terminal', async () => {
      const task = await startedTask(repos);
      await repos.messages.appendBatch(
        [chunk(task.id, 1, 'a'), workerStatus(task.id, 2, 'TASK_STATE_FAILED')],
        at(1),
      );
      const events = await repos.messages.readAfter(task.id, 0, 100);
      expect(events.map((e) => [e.id, e.event, e.terminal])).toEqual([
        [1, 'status-update', false],
        [2, 'artifact-update', false],
        [3, 'status-update', true],
      ]);
    });

    it('position tells the last id, what was pruned and whether the task ended', async () => {
      const task = await startedTask(repos);
      expect(await repos.messages.position(task, randomUUID())).toBeNull();
      expect(await repos.messages.position(task, 'not-a-uuid')).toBeNull();
      expect(await repos.messages.position(task, task.id)).toEqual({
        lastEventId: 1,
        prunedThrough: 0,
        terminal: false,
      });
      await repos.messages.appendBatch(
        [chunk(task.id, 1, 'a'), workerStatus(task.id, 2, 'TASK_STATE_COMPLETED')],
        at(1),
      );
      expect(await repos.messages.position(task, task.id)).toEqual({
        lastEventId: 3,
        prunedThrough: 0,
        terminal: true,
      });
    });

    it("position is null for a task of another org or another agent: the scope is the task's", async () => {
      const task = await startedTask(repos);
      expect(await repos.messages.position({ org: task.org, agent: task.agent }, task.id)).toEqual({
        lastEventId: 1,
        prunedThrough: 0,
        terminal: false,
      });
      expect(
        await repos.messages.position({ org: 'other-org', agent: task.agent }, task.id),
      ).toBeNull();
      expect(
        await repos.messages.position({ org: task.org, agent: 'other-agent' }, task.id),
      ).toBeNull();
    });
    it('compact folds the artifacts into the task row: the row alone then holds the text', async () => {
      const task = await startedTask(repos);
      await repos.messages.appendBatch(
        [chunk(task.id, 1, 'Hello'), chunk(task.id, 2, ' world')],
        at(1),
      );
      await repos.messages.compact(task.id);
      await repos.messages.compact(task.id);
      expect(await artifactText(task)).toBe('Hello world');

      await repos.messages.appendBatch([chunk(task.id, 3, ' again')], at(2));
      expect(await artifactText(task)).toBe('Hello world again');
      await repos.messages.compact(task.id);
      expect(await artifactText(task)).toBe('Hello world again');

      // Proof that the text now lives in the row: without its log the task still reads whole.
      await repos.db.query('DELETE FROM task_message_blocks WHERE task_id = $1', [task.id]);
      expect(await artifactText(task)).toBe('Hello world again');
      await expect(repos.messages.compact(randomUUID())).resolves.toBeUndefined();
    });

    describe('pruneExpired', () => {
      let early: NewTask;
      let ended: NewTask;
      let fresh: NewTask;

      // `early` has events from t=0 (ids 1-3) and t=30min (ids 4-5); `ended` lives and
      // completes at t=0 (ids 1-3); `fresh` starts at t=30min (ids 1-2).
      beforeEach(async () => {
        early = await startedTask(repos, {}, at(0));
        await repos.messages.appendBatch(
          [chunk(early.id, 1, 'one '), chunk(early.id, 2, 'two ')],
          at(0),
        );
        await repos.messages.appendBatch(
          [chunk(early.id, 3, 'three '), chunk(early.id, 4, 'four')],
          at(30 * MINUTE),
        );
        ended = await startedTask(repos, {}, at(0));
        await repos.messages.appendBatch(
          [chunk(ended.id, 1, 'done'), workerStatus(ended.id, 2, 'TASK_STATE_COMPLETED')],
          at(0),
        );
        fresh = await startedTask(repos, {}, at(30 * MINUTE));
        await repos.messages.appendBatch([chunk(fresh.id, 1, 'new')], at(30 * MINUTE));
      });

      it('deletes nothing a millisecond before the first expiry', async () => {
        expect(await repos.messages.pruneExpired(at(TTL - 1), 1000)).toEqual({
          locked: true,
          deleted: 0,
        });
        expect(await ids(early)).toEqual([1, 2, 3, 4, 5]);
      });

      it('deletes exactly the expired rows, folds them into the snapshot first, keeps the tasks', async () => {
        expect(await repos.messages.pruneExpired(at(TTL), 1000)).toEqual({
          locked: true,
          deleted: 6,
        });

        expect(await ids(early)).toEqual([4, 5]);
        expect(await ids(ended)).toEqual([]);
        expect(await ids(fresh)).toEqual([1, 2]);
        expect(await repos.messages.position(early, early.id)).toEqual({
          lastEventId: 5,
          prunedThrough: 3,
          terminal: false,
        });
        expect(await repos.messages.position(ended, ended.id)).toEqual({
          lastEventId: 3,
          prunedThrough: 3,
          terminal: true,
        });
        expect((await repos.messages.position(fresh, fresh.id))?.prunedThrough).toBe(0);
        // The deleted chunks live on in the snapshot, and the tasks themselves were not touched.
        expect(await artifactText(early)).toBe('one two three four');
        expect(await artifactText(ended)).toBe('done');
        expect(await artifactText(fresh)).toBe('new');
        expect((await repos.tasks.findById('acme', ended.id))?.state).toBe('TASK_STATE_COMPLETED');

        expect(await repos.messages.pruneExpired(at(TTL), 1000)).toEqual({
          locked: true,
          deleted: 0,
        });
      });

      it('still acknowledges a repeat of a sequence whose event it deleted', async () => {
        await repos.messages.pruneExpired(at(TTL), 1000);
        expect(await ids(early)).toEqual([4, 5]);

        const repeat = await repos.messages.appendBatch([chunk(early.id, 1, 'one ')], at(TTL));
        expect(repeat.outcomes).toEqual([DUPLICATE]);
        expect(repeat.events).toEqual([]);
        expect(await ids(early)).toEqual([4, 5]);
      });

      it('removes everything once all has expired, and never the task rows', async () => {
        expect(await repos.messages.pruneExpired(at(TTL + 30 * MINUTE), 1000)).toEqual({
          locked: true,
          deleted: 10,
        });
        for (const task of [early, ended, fresh]) expect(await ids(task)).toEqual([]);
        expect(await artifactText(early)).toBe('one two three four');
        const listed = await repos.tasks.list('acme', 'writer', 'alice', { limit: 10 });
        expect(listed.items.map((t) => t.id).sort()).toEqual([early.id, ended.id, fresh.id].sort());
      });
    });

    it('pruneExpired works in batches of at most batchSize rows, oldest first', async () => {
      const task = await startedTask(repos, {}, at(0));
      for (let sequence = 1; sequence <= 4; sequence++)
        await repos.messages.appendBatch([chunk(task.id, sequence, `${sequence}`)], at(sequence));
      const now = at(TTL + MINUTE);

      expect(await repos.messages.pruneExpired(now, 2)).toEqual({ locked: true, deleted: 2 });
      expect(await ids(task)).toEqual([3, 4, 5]);
      expect((await repos.messages.position(task, task.id))?.prunedThrough).toBe(2);
      expect(await repos.messages.pruneExpired(now, 2)).toEqual({ locked: true, deleted: 2 });
      expect(await repos.messages.pruneExpired(now, 2)).toEqual({ locked: true, deleted: 1 });
      expect(await repos.messages.pruneExpired(now, 2)).toEqual({ locked: true, deleted: 0 });
      expect(await ids(task)).toEqual([]);
      expect(await artifactText(task)).toBe('1234');
    });

    it("stores a batch's events of a task as one block, which expires and is pruned whole", async () => {
      const task = await startedTask(repos, {}, at(0));
      await repos.messages.appendBatch(
        [chunk(task.id, 1, 'a'), chunk(task.id, 2, 'b'), chunk(task.id, 3, 'c')],
        at(1),
      );
      const blocks = () =>
        repos.db.query<{ first_event_id: number; last_event_id: number; sequences: number[] }>(
          `SELECT first_event_id, last_event_id, sequences FROM task_message_blocks
            WHERE task_id = $1 ORDER BY last_event_id`,
          [task.id],
        );
      expect(await blocks()).toEqual([
        { first_event_id: 1, last_event_id: 1, sequences: [null] },
        { first_event_id: 2, last_event_id: 4, sequences: [1, 2, 3] },
      ]);
      const now = at(TTL + MINUTE);

      expect(await repos.messages.pruneExpired(now, 1)).toEqual({ locked: true, deleted: 1 });
      expect(await repos.messages.pruneExpired(now, 1)).toEqual({ locked: true, deleted: 3 });
      expect(await blocks()).toEqual([]);
      expect((await repos.messages.position(task, task.id))?.prunedThrough).toBe(4);
      expect(await artifactText(task)).toBe('abc');
    });
  });
}

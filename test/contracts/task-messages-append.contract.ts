import { randomUUID } from 'node:crypto';
import type { PushConfigRecord } from '../../src/modules/a2a/push/push-config';
import { SqlPushConfigsRepository } from '../../src/modules/a2a/push/sql-push-configs.repository';
import type { NewTask } from '../../src/modules/tasks/task-record';
import {
  at,
  chunk,
  chunksOf,
  created,
  DUPLICATE,
  gatewayStatus,
  newTask,
  parsed,
  refused,
  stored,
  WAITING,
  workerStatus,
} from './contract-fixtures';
import type { DatabaseHarness } from './database-harness';
import {
  freshRepositories,
  type RepositoriesUnderTest,
  startedTask,
} from './repositories-under-test';

/**
 * TaskMessagesRepository.appendBatch and closeGaps: id assignment, idempotent sequences, the
 * reorder window and the refusals. Ids are checked against what readAfter finds afterwards,
 * so a batch that reports more than it stored cannot pass.
 */
export function describeAppendContract(harness: DatabaseHarness): void {
  describe('TaskMessagesRepository.appendBatch / closeGaps', () => {
    let repos: RepositoriesUnderTest;
    let task: NewTask;

    beforeEach(async () => {
      repos = await freshRepositories(harness);
      task = await startedTask(repos);
    });

    const log = () => repos.messages.readAfter(task.id, 0, 1000);

    it('gives ids contiguous from 1 and stores each event exactly as returned', async () => {
      const result = await repos.messages.appendBatch(
        [
          workerStatus(task.id, 1, 'TASK_STATE_WORKING'),
          chunk(task.id, 2, 'Hel'),
          chunk(task.id, 3, 'lo'),
          chunk(task.id, 4, '!', { isLast: true }),
        ],
        at(1000),
      );

      expect(result.outcomes).toEqual([stored(2), stored(3), stored(4), stored(5)]);
      expect(result.tasksWithPending).toEqual([]);
      expect(result.events.map(({ id, event, terminal }) => ({ id, event, terminal }))).toEqual([
        { id: 2, event: 'status-update', terminal: false },
        { id: 3, event: 'artifact-update', terminal: false },
        { id: 4, event: 'artifact-update', terminal: false },
        { id: 5, event: 'artifact-update', terminal: false },
      ]);
      const { contextId } = task;
      const text = (t: string) => ({ artifactId: 'a1', parts: [{ text: t }] });
      expect(result.events.map(parsed)).toEqual([
        {
          statusUpdate: {
            taskId: task.id,
            contextId,
            status: { state: 'TASK_STATE_WORKING', timestamp: at(1000).toISOString() },
            metadata: { sequence: 1 },
          },
        },
        {
          artifactUpdate: {
            taskId: task.id,
            contextId,
            artifact: text('Hel'),
            append: false,
            lastChunk: false,
            metadata: { sequence: 2 },
          },
        },
        {
          artifactUpdate: {
            taskId: task.id,
            contextId,
            artifact: text('lo'),
            append: true,
            lastChunk: false,
            metadata: { sequence: 3 },
          },
        },
        {
          artifactUpdate: {
            taskId: task.id,
            contextId,
            artifact: text('!'),
            append: true,
            lastChunk: true,
            metadata: { sequence: 4 },
          },
        },
      ]);

      const stored1 = await log();
      expect(stored1.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
      expect(parsed(stored1[0])).toEqual({
        statusUpdate: { taskId: task.id, contextId, status: task.status },
      });
      // The data text is kept byte for byte, so the stream and the polling answer agree.
      expect(stored1.slice(1)).toEqual(result.events);
    });

    it('counts ids per task when one batch interleaves two tasks', async () => {
      const other = await startedTask(repos);
      const result = await repos.messages.appendBatch(
        [
          chunk(task.id, 1, 'a'),
          chunk(other.id, 1, 'x'),
          chunk(task.id, 2, 'b'),
          chunk(other.id, 2, 'y'),
        ],
        at(1000),
      );

      expect(result.outcomes).toEqual([stored(2), stored(2), stored(3), stored(3)]);
      expect(chunksOf(await log()).map((c) => c.text)).toEqual(['a', 'b']);
      expect(chunksOf(await repos.messages.readAfter(other.id, 0, 10)).map((c) => c.text)).toEqual([
        'x',
        'y',
      ]);
    });

    it('creates tasks in a batch beside the events of others: each row with its log opened by event 1', async () => {
      const first = newTask({ createdAt: at(500) });
      const second = newTask({ owner: 'bob', createdAt: at(500) });
      const result = await repos.messages.appendBatch(
        [created(first), chunk(task.id, 1, 'a'), created(second)],
        at(1000),
      );

      expect(result.outcomes).toEqual([stored(1), stored(2), stored(1)]);
      expect(result.events.map(({ taskId, id }) => [taskId, id])).toEqual([
        [first.id, 1],
        [task.id, 2],
        [second.id, 1],
      ]);
      for (const made of [first, second]) {
        const [opening] = await repos.messages.readAfter(made.id, 0, 10);
        expect(opening).toMatchObject({ id: 1, event: 'status-update', terminal: false });
        expect(parsed(opening)).toEqual({
          statusUpdate: { taskId: made.id, contextId: made.contextId, status: made.status },
        });
        expect(await repos.tasks.findById('acme', made.id)).toMatchObject({
          owner: made.owner,
          history: made.history,
          lastEventId: 1,
          createdAt: made.createdAt,
        });
      }
      // The new rows take their tasks' next events like any other.
      const next = await repos.messages.appendBatch(
        [workerStatus(first.id, 1, 'TASK_STATE_WORKING'), chunk(second.id, 1, 'b')],
        at(2000),
      );
      expect(next.outcomes).toEqual([stored(2), stored(2)]);
    });

    it('stores nothing of a batch whose new task cannot be stored', async () => {
      const again = await repos.messages
        .appendBatch([chunk(task.id, 1, 'a'), created({ ...newTask(), id: task.id })], at(1000))
        .then(
          () => 'stored',
          () => 'failed',
        );

      expect(again).toBe('failed');
      expect((await log()).map((e) => e.id)).toEqual([1]);
      expect((await repos.tasks.findById('acme', task.id))?.lastEventId).toBe(1);
    });

    it('acknowledges a repeated sequence as duplicate and stores it once, across and within batches', async () => {
      expect((await repos.messages.appendBatch([chunk(task.id, 1, 'a')], at(1))).outcomes).toEqual([
        stored(2),
      ]);
      // A retry carrying other text is still the same event: the first one stands.
      const retry = await repos.messages.appendBatch([chunk(task.id, 1, 'CHANGED')], at(2));
      expect(retry).toEqual({
        outcomes: [DUPLICATE],
        events: [],
        tasksWithPending: [],
        tasksWithPushConfigs: [],
      });
      const twice = await repos.messages.appendBatch(
        [chunk(task.id, 2, 'b'), chunk(task.id, 2, 'b')],
        at(3),
      );
      expect(twice.outcomes).toEqual([stored(3), DUPLICATE]);
      expect(twice.events.map((e) => e.id)).toEqual([3]);

      expect(chunksOf(await log())).toEqual([
        { id: 2, text: 'a', sequence: 1 },
        { id: 3, text: 'b', sequence: 2 },
      ]);
      expect((await repos.messages.position(task, task.id))?.lastEventId).toBe(3);
    });

    it('holds sequences that arrive early and releases them in order once the gap fills', async () => {
      const early = await repos.messages.appendBatch(
        [chunk(task.id, 4, 'd'), chunk(task.id, 3, 'c')],
        at(1),
      );
      expect(early).toEqual({
        outcomes: [WAITING, WAITING],
        events: [],
        tasksWithPending: [task.id],
        tasksWithPushConfigs: [],
      });
      const middle = await repos.messages.appendBatch([chunk(task.id, 2, 'b')], at(2));
      expect(middle).toEqual({
        outcomes: [WAITING],
        events: [],
        tasksWithPending: [task.id],
        tasksWithPushConfigs: [],
      });
      // A retry of an event that is still waiting is a duplicate too.
      expect((await repos.messages.appendBatch([chunk(task.id, 3, 'c')], at(3))).outcomes).toEqual([
        DUPLICATE,
      ]);
      expect((await log()).map((e) => e.id)).toEqual([1]);

      const filled = await repos.messages.appendBatch([chunk(task.id, 1, 'a')], at(4));
      expect(filled.outcomes).toEqual([stored(2)]);
      expect(filled.tasksWithPending).toEqual([]);
      expect(chunksOf(filled.events)).toEqual([
        { id: 2, text: 'a', sequence: 1 },
        { id: 3, text: 'b', sequence: 2 },
        { id: 4, text: 'c', sequence: 3 },
        { id: 5, text: 'd', sequence: 4 },
      ]);
      expect(
        filled.events.map(
          (e) => (parsed(e) as { artifactUpdate: { append: boolean } }).artifactUpdate.append,
        ),
      ).toEqual([false, true, true, true]);
      expect(await log()).toEqual([expect.objectContaining({ id: 1 }), ...filled.events]);
    });

    it('tasksWaitingSince lists the tasks with an event waiting since `before` or earlier, once each', async () => {
      const other = await startedTask(repos);
      await repos.messages.appendBatch([chunk(task.id, 3, 'c'), chunk(task.id, 4, 'd')], at(10));
      await repos.messages.appendBatch([chunk(other.id, 2, 'b')], at(20));
      expect(await repos.messages.tasksWaitingSince(at(9), 10)).toEqual([]);
      expect(await repos.messages.tasksWaitingSince(at(10), 10)).toEqual([task.id]);
      expect((await repos.messages.tasksWaitingSince(at(20), 10)).sort()).toEqual(
        [task.id, other.id].sort(),
      );
      expect(await repos.messages.tasksWaitingSince(at(20), 1)).toHaveLength(1);
      await repos.messages.appendBatch([chunk(task.id, 1, 'a'), chunk(task.id, 2, 'b')], at(30));
      expect(await repos.messages.tasksWaitingSince(at(30), 10)).toEqual([other.id]);
    });

    it('closeGaps ends the wait of events stored by `before`, skipping the sequences missing below them', async () => {
      await repos.messages.appendBatch([chunk(task.id, 1, 'a')], at(1));
      const older = await repos.messages.appendBatch(
        [chunk(task.id, 4, 'd'), chunk(task.id, 3, 'c')],
        at(2),
      );
      const younger = await repos.messages.appendBatch([chunk(task.id, 6, 'f')], at(10));
      expect([...older.outcomes, ...younger.outcomes]).toEqual([WAITING, WAITING, WAITING]);

      // Only 3 and 4 have waited their whole window: 2 is skipped, 6 keeps waiting for 5.
      const first = await repos.messages.closeGaps(task.id, at(11), at(5));
      expect(first.outcomes).toEqual([]);
      expect(first.tasksWithPending).toEqual([task.id]);
      expect(chunksOf(first.events)).toEqual([
        { id: 3, text: 'c', sequence: 3 },
        { id: 4, text: 'd', sequence: 4 },
      ]);

      const second = await repos.messages.closeGaps(task.id, at(21), at(20));
      expect(second.tasksWithPending).toEqual([]);
      expect(chunksOf(second.events)).toEqual([{ id: 5, text: 'f', sequence: 6 }]);

      // Skipped sequences arriving now would break the order already streamed: refused.
      const late = await repos.messages.appendBatch(
        [chunk(task.id, 2, 'b'), chunk(task.id, 5, 'e'), chunk(task.id, 7, 'g')],
        at(22),
      );
      expect(late.outcomes).toEqual([
        refused('SEQUENCE_SKIPPED'),
        refused('SEQUENCE_SKIPPED'),
        stored(6),
      ]);
      expect(chunksOf(await log()).map((c) => c.text)).toEqual(['a', 'c', 'd', 'f', 'g']);
      expect(await repos.messages.closeGaps(task.id, at(31), at(30))).toEqual({
        outcomes: [],
        events: [],
        tasksWithPending: [],
        tasksWithPushConfigs: [],
      });
    });

    it('refuses new events for a terminal task with TASK_TERMINAL but still acknowledges repeats', async () => {
      const done = await repos.messages.appendBatch(
        [chunk(task.id, 1, 'a'), workerStatus(task.id, 2, 'TASK_STATE_COMPLETED')],
        at(1),
      );
      expect(done.outcomes).toEqual([stored(2), stored(3)]);
      expect(done.events.map((e) => e.terminal)).toEqual([false, true]);

      const after = await repos.messages.appendBatch(
        [
          chunk(task.id, 3, 'b'),
          gatewayStatus(task.id, 'TASK_STATE_CANCELED'),
          chunk(task.id, 2, 'a'),
        ],
        at(2),
      );
      expect(after.outcomes).toEqual([
        refused('TASK_TERMINAL'),
        refused('TASK_TERMINAL'),
        DUPLICATE,
      ]);
      expect(after.events).toEqual([]);
      expect((await log()).map((e) => e.id)).toEqual([1, 2, 3]);
      expect(await repos.messages.position(task, task.id)).toEqual({
        lastEventId: 3,
        prunedThrough: 0,
        terminal: true,
      });
    });

    it('refuses a move the state machine forbids with ILLEGAL_TRANSITION and stores nothing', async () => {
      const result = await repos.messages.appendBatch(
        [workerStatus(task.id, 1, 'TASK_STATE_SUBMITTED')],
        at(1),
      );
      expect(result.outcomes).toEqual([refused('ILLEGAL_TRANSITION')]);
      expect((await log()).map((e) => e.id)).toEqual([1]);
    });

    it('answers TASK_NOT_FOUND per item for unknown tasks and still stores the rest of the batch', async () => {
      const result = await repos.messages.appendBatch(
        [
          chunk(randomUUID(), 1, 'x'),
          chunk('not-a-uuid', 1, 'x'),
          gatewayStatus(randomUUID(), 'TASK_STATE_CANCELED'),
          chunk(task.id, 1, 'a'),
        ],
        at(1),
      );
      expect(result.outcomes).toEqual([
        refused('TASK_NOT_FOUND'),
        refused('TASK_NOT_FOUND'),
        refused('TASK_NOT_FOUND'),
        stored(2),
      ]);
      expect(result.events.map((e) => [e.taskId, e.id])).toEqual([[task.id, 2]]);
    });

    it('names the tasks of a batch that have push configs, as registrations leave them', async () => {
      const other = await startedTask(repos);
      const push = new SqlPushConfigsRepository(repos.db);
      const both = (sequence: number) => [
        chunk(task.id, sequence, 'a'),
        chunk(other.id, sequence, 'b'),
      ];
      expect((await repos.messages.appendBatch(both(1), at(1))).tasksWithPushConfigs).toEqual([]);

      // Registered after the rows were cached: the answer comes from the written row.
      await push.upsert(pushConfig(task.id, 'p1'));
      await push.upsert(pushConfig(task.id, 'p2'));
      await push.upsert(pushConfig(task.id, 'p2'));
      expect((await repos.messages.appendBatch(both(2), at(2))).tasksWithPushConfigs).toEqual([
        task.id,
      ]);

      await push.delete(ORG, task.id, 'p1');
      expect((await repos.messages.appendBatch(both(3), at(3))).tasksWithPushConfigs).toEqual([
        task.id,
      ]);
      await push.delete(ORG, task.id, 'p2');
      expect((await repos.messages.appendBatch(both(4), at(4))).tasksWithPushConfigs).toEqual([]);
    });
  });
}

const ORG = 'acme';

function pushConfig(taskId: string, id: string): PushConfigRecord {
  return {
    taskId,
    id,
    org: ORG,
    url: 'https://receiver.example/hook',
    version: '1.0',
    deliveredThrough: 0,
    createdBy: 'user-1',
  };
}

import { randomUUID } from 'node:crypto';
import type { Message, TaskState } from '../../libs/contracts/src';
import type { TaskMessagesRepository } from '../../src/modules/task-messages/task-messages.repository';
import type { NewTask, TaskListQuery } from '../../src/modules/tasks/task-record';
import type { TasksRepository } from '../../src/modules/tasks/tasks.repository';
import { at, chunk, created, newTask, stored, workerStatus } from './contract-fixtures';
import type { DatabaseHarness } from './database-harness';
import { freshRepositories } from './repositories-under-test';

/**
 * TasksRepository: lookups scoped by org, the owner's listing with cursor paging. Tasks are
 * created through the event log (a `create` item), which stores the row with its first event.
 */
export function describeTasksRepositoryContract(harness: DatabaseHarness): void {
  describe('TasksRepository', () => {
    let tasks: TasksRepository;
    let messages: TaskMessagesRepository;

    beforeEach(async () => {
      ({ tasks, messages } = await freshRepositories(harness));
    });

    async function create(task: NewTask): Promise<void> {
      expect((await messages.appendBatch([created(task)], at(0))).outcomes).toEqual([stored(1)]);
    }

    /** Every page of a listing, following `next` until there is none. */
    async function allPages(
      owner: string,
      query: Omit<TaskListQuery, 'cursor'>,
    ): Promise<{ ids: string[][]; hadNext: boolean[] }> {
      const ids: string[][] = [];
      const hadNext: boolean[] = [];
      let cursor: TaskListQuery['cursor'];
      do {
        const page = await tasks.list('acme', 'writer', owner, { ...query, cursor });
        ids.push(page.items.map((t) => t.id));
        hadNext.push(page.next !== undefined);
        if (page.next) {
          const last = page.items[page.items.length - 1];
          expect(page.next).toEqual({ createdAt: last.createdAt, id: last.id });
        }
        cursor = page.next;
      } while (cursor && ids.length < 20);
      return { ids, hadNext };
    }

    it('findById returns a created task exactly as created, its log opened, no artifacts yet', async () => {
      const parent = newTask();
      const task = newTask({ parentTaskId: parent.id, metadata: { priority: 2, tags: ['x'] } });
      await create(parent);
      await create(task);

      expect(await tasks.findById('acme', task.id)).toEqual({
        ...task,
        artifacts: [],
        lastEventId: 1,
        updatedAt: task.createdAt,
      });
    });

    it('findById answers null for another org, an unknown id and a non-uuid id', async () => {
      const task = newTask({ org: 'acme' });
      await create(task);

      expect(await tasks.findById('globex', task.id)).toBeNull();
      expect(await tasks.findById('acme', randomUUID())).toBeNull();
      expect(await tasks.findById('acme', 'not-a-uuid')).toBeNull();
      expect((await tasks.findById('acme', task.id))?.id).toBe(task.id);
    });

    it("appendHistory adds a message at the end of the task's history, within its org only", async () => {
      const task = newTask();
      await create(task);
      const turn: Message = {
        messageId: 'm-2',
        role: 'ROLE_USER',
        parts: [{ text: 'and then?' }],
        taskId: task.id,
        contextId: task.contextId,
      };
      await tasks.appendHistory('acme', task.id, turn);
      await tasks.appendHistory('globex', task.id, { ...turn, messageId: 'intruder' });

      const found = await tasks.findById('acme', task.id);
      expect(found?.history).toEqual([...task.history, turn]);
      expect(found?.updatedAt.getTime()).toBeGreaterThan(task.createdAt.getTime());
    });

    it('findById assembles the artifacts and state from the events stored so far', async () => {
      const task = newTask();
      await create(task);
      await messages.appendBatch(
        [
          workerStatus(task.id, 1, 'TASK_STATE_WORKING'),
          chunk(task.id, 2, 'Hello'),
          chunk(task.id, 3, ' world', { isLast: true }),
        ],
        at(1000),
      );

      expect(await tasks.findById('acme', task.id)).toEqual({
        ...task,
        state: 'TASK_STATE_WORKING',
        status: { state: 'TASK_STATE_WORKING', timestamp: at(1000).toISOString() },
        artifacts: [{ artifactId: 'a1', parts: [{ text: 'Hello world' }] }],
        lastEventId: 4,
        updatedAt: at(1000),
      });
    });

    describe('list', () => {
      // Seven of alice's writer tasks in acme, two created in the same millisecond (the id breaks
      // the tie), three of them WORKING; and tasks that must never show in her listing.
      const states: TaskState[] = [
        'TASK_STATE_SUBMITTED',
        'TASK_STATE_WORKING',
        'TASK_STATE_SUBMITTED',
        'TASK_STATE_WORKING',
        'TASK_STATE_COMPLETED',
        'TASK_STATE_WORKING',
        'TASK_STATE_SUBMITTED',
      ];
      let mine: NewTask[];

      beforeEach(async () => {
        mine = states.map((state, i) => newTask({ state, createdAt: at(Math.min(i, 5) * 1000) }));
        const others = [
          newTask({ owner: 'bob', createdAt: at(9000) }),
          newTask({ agent: 'echo', createdAt: at(9000) }),
          newTask({ org: 'globex', createdAt: at(9000) }),
        ];
        for (const task of [...mine, ...others]) await create(task);
      });

      /** Newest first; the id, descending, orders tasks created at the same instant. */
      function newestFirst(list: NewTask[]): string[] {
        return [...list]
          .sort(
            (a, b) =>
              b.createdAt.getTime() - a.createdAt.getTime() ||
              (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
          )
          .map((t) => t.id);
      }

      it("returns only the owner's tasks of that org and agent, newest first", async () => {
        const page = await tasks.list('acme', 'writer', 'alice', { limit: 100 });
        expect(page.items.map((t) => t.id)).toEqual(newestFirst(mine));
        expect(page.next).toBeUndefined();
      });

      it('pages with the cursor through every task once, in order, and the last page has no next', async () => {
        const { ids, hadNext } = await allPages('alice', { limit: 3 });
        expect(ids.map((page) => page.length)).toEqual([3, 3, 1]);
        expect(hadNext).toEqual([true, true, false]);
        expect(ids.flat()).toEqual(newestFirst(mine));
      });

      it('gives no next cursor when the last page is exactly full', async () => {
        const { ids, hadNext } = await allPages('alice', { limit: 7 });
        expect(ids.map((page) => page.length)).toEqual([7]);
        expect(hadNext).toEqual([false]);
      });

      it('filters by state, across pages too', async () => {
        const working = mine.filter((t) => t.state === 'TASK_STATE_WORKING');
        const { ids, hadNext } = await allPages('alice', {
          limit: 2,
          state: 'TASK_STATE_WORKING',
        });
        expect(ids.map((page) => page.length)).toEqual([2, 1]);
        expect(hadNext).toEqual([true, false]);
        expect(ids.flat()).toEqual(newestFirst(working));
      });

      it('lists nothing for an owner without tasks', async () => {
        expect(await tasks.list('acme', 'writer', 'carol', { limit: 10 })).toEqual({ items: [] });
      });
    });
  });
}

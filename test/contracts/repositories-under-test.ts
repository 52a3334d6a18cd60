import type { Database } from '../../src/common/database/database';
import { SqlTaskMessagesRepository } from '../../src/modules/task-messages/repositories/sql-task-messages.repository';
import type { TaskMessagesRepository } from '../../src/modules/task-messages/task-messages.repository';
import { SqlTasksRepository } from '../../src/modules/tasks/repositories/sql-tasks.repository';
import type { NewTask } from '../../src/modules/tasks/task-record';
import type { TasksRepository } from '../../src/modules/tasks/tasks.repository';
import { testConfig } from '../utils/test-app';
import { at, created, newTask, stored } from './contract-fixtures';
import { type DatabaseHarness, migratedDatabase } from './database-harness';

/** Stored events live this long in the contract, so expiry instants are plain arithmetic. */
export const TTL_MINUTES = 60;

/** The repositories as the app injects them, typed by their abstract classes only. */
export interface RepositoriesUnderTest {
  db: Database;
  tasks: TasksRepository;
  messages: TaskMessagesRepository;
}

export async function freshRepositories(harness: DatabaseHarness): Promise<RepositoriesUnderTest> {
  const db = await migratedDatabase(harness);
  const config = testConfig({ TASK_MESSAGE_TTL_MINUTES: String(TTL_MINUTES) });
  return {
    db,
    tasks: new SqlTasksRepository(db),
    messages: new SqlTaskMessagesRepository(db, config),
  };
}

/** Creates a task, its log opened with event 1 (SUBMITTED), as TasksService.create does. */
export async function startedTask(
  repos: RepositoriesUnderTest,
  overrides: Partial<NewTask> = {},
  now = at(0),
): Promise<NewTask> {
  const task = newTask(overrides);
  const result = await repos.messages.appendBatch([created(task)], now);
  expect(result.outcomes).toEqual([stored(1)]);
  return task;
}

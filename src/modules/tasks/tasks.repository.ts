import type { Message } from '../../../libs/contracts/src';
import type { TaskListQuery, TaskPage, TaskRecord } from './task-record';

/**
 * Tasks, always looked up within their org so a cross-tenant read cannot be written by accident.
 * A task is created by the event log (TaskMessagesService), which stores it with its first event.
 */
export abstract class TasksRepository {
  abstract findById(org: string, id: string): Promise<TaskRecord | null>;
  /** Adds a message at the end of the task's history (a client's next turn). */
  abstract appendHistory(org: string, id: string, message: Message): Promise<void>;
  /** The tasks `owner` created with `agent` in `org`, newest first. */
  abstract list(org: string, agent: string, owner: string, query: TaskListQuery): Promise<TaskPage>;
}

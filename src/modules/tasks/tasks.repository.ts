import type { NewTask, TaskListQuery, TaskPage, TaskRecord } from './task-record';

/** Tasks, always looked up within their org so a cross-tenant read cannot be written by accident. */
export abstract class TasksRepository {
  abstract create(task: NewTask): Promise<void>;
  abstract findById(org: string, id: string): Promise<TaskRecord | null>;
  /** The tasks `owner` created with `agent` in `org`, newest first. */
  abstract list(org: string, agent: string, owner: string, query: TaskListQuery): Promise<TaskPage>;
}

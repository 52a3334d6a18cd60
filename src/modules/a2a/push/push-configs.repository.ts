import type { PushConfigRecord } from './push-config';

/** Push notification configs, always looked up within their org and task. */
export abstract class PushConfigsRepository {
  /** Creates the config, or replaces the one with the same id (its delivery position is kept). */
  abstract upsert(config: PushConfigRecord): Promise<PushConfigRecord>;
  abstract find(org: string, taskId: string, id: string): Promise<PushConfigRecord | null>;
  abstract listByTask(org: string, taskId: string): Promise<PushConfigRecord[]>;
  /** The configs of any of these tasks (delivery: which webhooks new events concern). */
  abstract listByTasks(taskIds: readonly string[]): Promise<PushConfigRecord[]>;
  abstract delete(org: string, taskId: string, id: string): Promise<void>;
  /** Moves the delivery position forward; false when the config no longer exists. */
  abstract advance(org: string, taskId: string, id: string, eventId: number): Promise<boolean>;
}

import type { TaskScope } from '../../common/http/agent-scope.decorator';
import type { AppendItem, BatchResult } from './append-item';
import type { StoredEvent } from './stored-event';

export interface PruneResult {
  /** False when another instance held the pruning lock and nothing was done. */
  locked: boolean;
  deleted: number;
}

export interface ReplayPosition {
  lastEventId: number;
  /** Events with ids up to here may be gone: replay from before it starts with a snapshot. */
  prunedThrough: number;
  terminal: boolean;
}

/**
 * The stored event log of each task. Every method is scoped by task id (tasks carry the org);
 * `position`, where a reader first meets the task, checks its org and agent too.
 */
export abstract class TaskMessagesRepository {
  /** Stores a group-commit batch in one transaction: ids assigned, duplicates and gaps resolved. */
  abstract appendBatch(items: AppendItem[], now: Date): Promise<BatchResult>;
  /**
   * Ends the wait of a task's events stored at or before `before`: the sequences missing below
   * them are skipped for good and they get ids; younger waiters keep waiting.
   */
  abstract closeGaps(taskId: string, now: Date, before: Date): Promise<BatchResult>;
  /** Tasks with an event stored at or before `before` still waiting for a missing sequence. */
  abstract tasksWaitingSince(before: Date, limit: number): Promise<string[]>;
  /** Events with id > afterId, in id order, at most `limit`. */
  abstract readAfter(taskId: string, afterId: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Where replay stands: the last id, what was pruned and whether the task ended. Null unless the
   * task is the scope's (its org and agent): a stream opens on this one read of the task row.
   */
  abstract position(scope: TaskScope, taskId: string): Promise<ReplayPosition | null>;
  /** Folds the artifact events into the task row so that reading it no longer needs the log. */
  abstract compact(taskId: string): Promise<void>;
  /**
   * Deletes the expired events of up to `batchSize` blocks (a task's events of one commit, which
   * are stored and expire together), after folding them into their tasks' snapshots, under a
   * cluster-wide lock so that only one instance prunes at a time. `deleted` counts events.
   */
  abstract pruneExpired(now: Date, batchSize: number): Promise<PruneResult>;
}

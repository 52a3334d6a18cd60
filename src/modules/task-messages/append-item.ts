import type { ParsedWebhookEvent, TaskStatus } from '../../../libs/contracts/src';
import type { DomainError } from '../../common/errors/domain-error';
import type { NewTask } from '../tasks/task-record';
import type { StoredEvent } from './stored-event';

/** A worker's webhook event after validation (field names as the gateway uses them). */
export type WorkerEvent = ParsedWebhookEvent;

/** A status change the gateway makes itself: canceled, working again, dispatch failed. */
export interface GatewayStatusChange {
  taskId: string;
  status: TaskStatus;
}

/**
 * What one append stores: a worker's event, the gateway's own status change, or a new task, whose
 * row and the event that opens its log (its SUBMITTED status) go in one commit, so that no task
 * exists without its first event.
 */
export type AppendItem =
  | { kind: 'worker'; event: WorkerEvent }
  | { kind: 'gateway'; change: GatewayStatusChange }
  | { kind: 'create'; task: NewTask };

export type AppendOutcome =
  | { ok: true; status: 'stored' | 'duplicate'; eventId?: number }
  | { ok: false; error: DomainError };

export interface BatchResult {
  outcomes: AppendOutcome[];
  /** Events that got their id in this batch, in id order per task. */
  events: StoredEvent[];
  /** Tasks left with events waiting for a missing sequence. */
  tasksWithPending: string[];
  /** Tasks written in this batch that have push notification configs. */
  tasksWithPushConfigs: string[];
}

export function itemTaskId(item: AppendItem): string {
  switch (item.kind) {
    case 'worker':
      return item.event.taskId;
    case 'gateway':
      return item.change.taskId;
    case 'create':
      return item.task.id;
  }
}

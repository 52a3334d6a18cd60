import type { ParsedWebhookEvent, TaskStatus } from '../../../libs/contracts/src';
import type { DomainError } from '../../common/errors/domain-error';
import type { StoredEvent } from './stored-event';

/** A worker's webhook event after validation (field names as the gateway uses them). */
export type WorkerEvent = ParsedWebhookEvent;

/** A status change the gateway makes itself: submitted, canceled, dispatch failed. */
export interface GatewayStatusChange {
  taskId: string;
  status: TaskStatus;
  /** The SUBMITTED event that opens a new task's log; accepted only as its first event. */
  initial?: boolean;
}

export type AppendItem =
  { kind: 'worker'; event: WorkerEvent } | { kind: 'gateway'; change: GatewayStatusChange };

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
  return item.kind === 'worker' ? item.event.taskId : item.change.taskId;
}

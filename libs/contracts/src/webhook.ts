// The worker → gateway webhook body (snake_case, as workers in any language write it).

export const WEBHOOK_EVENT_TYPES = ['chunk', 'status', 'progress', 'error'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  task_id: string;
  sequence: number;
  type?: WebhookEventType;
  chunk?: string;
  artifact_id?: string;
  is_last?: boolean;
  /** With `status`: an A2A v1.0 state name; the lowercase 0.3 names are accepted too. */
  state?: string;
  /** With `progress`: 0–100. */
  progress?: number;
  /** With `status` / `error`. */
  message?: string;
}

export interface WebhookBatch {
  events: WebhookEvent[];
}

export interface WebhookAck {
  task_id: string;
  sequence: number;
  /** `stored` the first time, `duplicate` when this sequence was already stored. */
  status: 'stored' | 'duplicate';
}

export const WEBHOOK_TIMESTAMP_HEADER = 'x-webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';

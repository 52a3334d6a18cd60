import { type TaskState } from './a2a';
import { parseTaskState } from './task-state-machine';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook';

/** A webhook event checked and normalised: camelCase, `type` defaulted, `state` as a v1.0 name. */
export interface ParsedWebhookEvent {
  taskId: string;
  sequence: number;
  type: WebhookEventType;
  chunk?: string;
  artifactId?: string;
  isLast?: boolean;
  state?: TaskState;
  progress?: number;
  message?: string;
}

export type ParseResult = { ok: true; event: ParsedWebhookEvent } | { ok: false; errors: string[] };

const KNOWN_FIELDS = new Set([
  'task_id',
  'sequence',
  'type',
  'chunk',
  'artifact_id',
  'is_last',
  'state',
  'progress',
  'message',
]);
const MAX_ID_LENGTH = 200;

/**
 * Checks one worker event and names every field that is wrong (`events.3.sequence: ...`).
 * Hand-written rather than class-validator: it runs for every chunk on the ingest hot path.
 */
export function parseWebhookEvent(value: unknown, path = ''): ParseResult {
  const at = (field: string): string => (path ? `${path}.${field}` : field);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [`${path || 'body'}: must be a JSON object`] };
  }
  const body = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(body))
    if (!KNOWN_FIELDS.has(key)) errors.push(`${at(key)}: unknown field`);

  const { task_id, sequence, chunk, artifact_id, is_last, state, progress, message } = body;
  const type = body.type ?? 'chunk';
  if (typeof task_id !== 'string' || task_id.length === 0 || task_id.length > MAX_ID_LENGTH) {
    errors.push(`${at('task_id')}: must be a non-empty string`);
  }
  if (
    typeof sequence !== 'number' ||
    !Number.isInteger(sequence) ||
    sequence < 1 ||
    sequence > 2_147_483_647
  ) {
    errors.push(`${at('sequence')}: must be an integer from 1`);
  }
  if (typeof type !== 'string' || !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
    errors.push(`${at('type')}: must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  }
  if (is_last !== undefined && typeof is_last !== 'boolean')
    errors.push(`${at('is_last')}: must be a boolean`);
  if (message !== undefined && typeof message !== 'string')
    errors.push(`${at('message')}: must be a string`);

  let parsedState: TaskState | undefined;
  if (type === 'chunk') {
    if (typeof chunk !== 'string') errors.push(`${at('chunk')}: must be a string (type chunk)`);
    if (
      typeof artifact_id !== 'string' ||
      artifact_id.length === 0 ||
      artifact_id.length > MAX_ID_LENGTH
    ) {
      errors.push(`${at('artifact_id')}: must be a non-empty string (type chunk)`);
    }
  } else if (type === 'status') {
    parsedState = typeof state === 'string' ? parseTaskState(state) : undefined;
    if (!parsedState || parsedState === 'TASK_STATE_SUBMITTED') {
      errors.push(
        `${at('state')}: must be a task state other than submitted, e.g. TASK_STATE_WORKING (type status)`,
      );
    }
  } else if (type === 'progress') {
    if (typeof progress !== 'number' || !(progress >= 0 && progress <= 100)) {
      errors.push(`${at('progress')}: must be a number from 0 to 100 (type progress)`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    event: {
      taskId: task_id as string,
      sequence: sequence as number,
      type: type as WebhookEventType,
      ...(type === 'chunk'
        ? {
            chunk: chunk as string,
            artifactId: artifact_id as string,
            isLast: (is_last as boolean | undefined) ?? false,
          }
        : {}),
      ...(parsedState ? { state: parsedState } : {}),
      ...(type === 'progress' ? { progress: progress as number } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { StreamResponse, TaskState } from '../../libs/contracts/src';
import type { ErrorCode } from '../../src/common/errors/error-codes';
import type {
  AppendItem,
  AppendOutcome,
  WorkerEvent,
} from '../../src/modules/task-messages/append-item';
import type { StoredEvent } from '../../src/modules/task-messages/stored-event';
import type { NewTask } from '../../src/modules/tasks/task-record';

/** The instant the contract's clocks start from; every `now` is an offset from it. */
export const T0 = new Date('2026-03-01T12:00:00.000Z');

export function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

export const MINUTE = 60_000;

export function newTask(overrides: Partial<NewTask> = {}): NewTask {
  const id = overrides.id ?? randomUUID();
  const contextId = overrides.contextId ?? `ctx-${id.slice(0, 8)}`;
  const createdAt = overrides.createdAt ?? T0;
  return {
    id,
    org: 'acme',
    agent: 'writer',
    owner: 'alice',
    contextId,
    parentTaskId: null,
    state: 'TASK_STATE_SUBMITTED',
    status: { state: 'TASK_STATE_SUBMITTED', timestamp: createdAt.toISOString() },
    history: [
      {
        messageId: `m-${id.slice(0, 8)}`,
        role: 'ROLE_USER',
        parts: [{ text: 'hi' }],
        taskId: id,
        contextId,
      },
    ],
    metadata: { source: 'contract' },
    createdAt,
    ...overrides,
  };
}

/** A new task, whose row and first event (its SUBMITTED status) are stored in one commit. */
export function created(task: NewTask): AppendItem {
  return { kind: 'create', task };
}

export function gatewayStatus(taskId: string, state: TaskState, now = T0): AppendItem {
  return { kind: 'gateway', change: { taskId, status: { state, timestamp: now.toISOString() } } };
}

export function chunk(
  taskId: string,
  sequence: number,
  text: string,
  extra: Partial<WorkerEvent> = {},
): AppendItem {
  return {
    kind: 'worker',
    event: {
      taskId,
      sequence,
      type: 'chunk',
      chunk: text,
      artifactId: 'a1',
      isLast: false,
      ...extra,
    },
  };
}

export function workerStatus(taskId: string, sequence: number, state: TaskState): AppendItem {
  return { kind: 'worker', event: { taskId, sequence, type: 'status', state } };
}

export function stored(eventId: number): AppendOutcome {
  return { ok: true, status: 'stored', eventId };
}

/** Stored and acknowledged, but waiting for a missing sequence: no id yet. */
export const WAITING: AppendOutcome = { ok: true, status: 'stored' };

export const DUPLICATE: AppendOutcome = { ok: true, status: 'duplicate' };

/** A refused outcome, matched on its error code. */
export function refused(code: ErrorCode): unknown {
  const error: unknown = expect.objectContaining({ name: 'DomainError', code });
  return { ok: false, error };
}

export function parsed(event: StoredEvent): StreamResponse {
  return JSON.parse(event.data) as StreamResponse;
}

/** The text and sequence of each artifact update, in id order: what a watcher would see. */
export function chunksOf(events: StoredEvent[]): { id: number; text: string; sequence: unknown }[] {
  return events.flatMap((event) => {
    const response = parsed(event);
    if (!('artifactUpdate' in response)) return [];
    const update = response.artifactUpdate;
    return [
      {
        id: event.id,
        text: update.artifact.parts.map((p) => p.text ?? '').join(''),
        sequence: update.metadata?.sequence,
      },
    ];
  });
}

import {
  canTransition,
  isTerminalState,
  type StreamEventName,
  type StreamResponse,
  type TaskState,
  type TaskStatus,
} from '../../../libs/contracts/src';
import { DomainError, taskNotFound } from '../../common/errors/domain-error';
import type { NewTask } from '../tasks/task-record';
import type { AppendItem, AppendOutcome, WorkerEvent } from './append-item';
import { agentStatus, artifactUpdateJson, statusUpdate } from './stream-payloads';

/** The columns of a task that ordering and id assignment read and move forward. */
export interface TaskLogRow {
  id: string;
  context_id: string;
  state: TaskState;
  status: TaskStatus;
  last_event_id: number;
  last_sequence: number;
  pending_count: number;
  artifact_ids: string[];
  /**
   * The sequences at or below last_sequence that a closed reorder window skipped, as inclusive
   * ranges flattened into pairs ([from, to, from, to, ...], ascending). Every other sequence up to
   * last_sequence was stored, so a repeat of one is a duplicate without a look at the log.
   */
  skipped_sequences: number[];
}

export interface PlannedEvent {
  taskId: string;
  id: number;
  sequence: number | null;
  event: StreamEventName;
  data: string;
  terminal: boolean;
}

export interface BatchPlan {
  outcomes: AppendOutcome[];
  inserts: PlannedEvent[];
  pendingInserts: { taskId: string; sequence: number; body: string }[];
  pendingDeletes: { taskId: string; sequence: number }[];
  taskUpdates: TaskLogRow[];
  tasksWithPending: string[];
}

export interface BatchInput {
  rows: TaskLogRow[];
  items: AppendItem[];
  /** Events already waiting in task_message_pending, for the tasks that have any. */
  storedPending: { event: WorkerEvent; storedAt: Date }[];
  /**
   * Reorder windows that have run out: for each task, gaps are skipped up to the highest waiting
   * sequence stored at or before `before`; younger waiters keep waiting for their own window.
   */
  closeGaps?: { taskIds: ReadonlySet<string>; before: Date };
  now: Date;
}

interface Waiting {
  event: WorkerEvent;
  storedAt: Date;
  /** Index of the item that brought it in this batch; undefined when it was already stored. */
  item?: number;
}

interface Cursor {
  row: TaskLogRow;
  waiting: Map<number, Waiting>;
  changed: boolean;
}

/**
 * Decides, for one group-commit batch, which events get which ids. Worker events are ordered by
 * `sequence`: the next expected one gets the next id and releases any that were waiting behind
 * it; one that is early waits (stored, acknowledged, no id yet); one already stored is a
 * duplicate. A new task's row starts here, from its item, and its status opens its log. Pure:
 * the repository loads the locked rows before and writes the plan after.
 */
export function planBatch(input: BatchInput): BatchPlan {
  const timestamp = input.now.toISOString();
  const cursors = new Map<string, Cursor>(
    input.rows.map((row) => [
      row.id,
      {
        // skipped_sequences is replaced, never changed in place (see skip): the rows passed in
        // stay as they were, and the writer can tell a changed list by its identity.
        row: { ...row, artifact_ids: [...row.artifact_ids] },
        waiting: new Map(),
        changed: false,
      },
    ]),
  );
  for (const { event, storedAt } of input.storedPending) {
    cursors.get(event.taskId)?.waiting.set(event.sequence, { event, storedAt });
  }

  const plan: BatchPlan = {
    outcomes: [],
    inserts: [],
    pendingInserts: [],
    pendingDeletes: [],
    taskUpdates: [],
    tasksWithPending: [],
  };

  const emit = (
    cursor: Cursor,
    sequence: number | null,
    event: StreamEventName,
    data: string,
    terminal: boolean,
  ): number => {
    const row = cursor.row;
    row.last_event_id += 1;
    cursor.changed = true;
    plan.inserts.push({ taskId: row.id, id: row.last_event_id, sequence, event, data, terminal });
    return row.last_event_id;
  };
  const emitStatus = (
    cursor: Cursor,
    sequence: number | null,
    response: StreamResponse,
    terminal: boolean,
  ): number => emit(cursor, sequence, 'status-update', JSON.stringify(response), terminal);

  const assignWorker = (cursor: Cursor, event: WorkerEvent): number => {
    const row = cursor.row;
    row.last_sequence = event.sequence;
    if (event.type === 'chunk') {
      // A worker that streams before reporting WORKING is working: the task row says so
      // (no extra event: the chunk itself tells watchers the work has started).
      const working = targetState(row.state, event);
      if (working !== row.state) {
        row.state = working;
        row.status = { state: working, timestamp };
      }
      const artifactId = event.artifactId as string;
      const append = row.artifact_ids.includes(artifactId);
      if (!append) row.artifact_ids.push(artifactId);
      const data = artifactUpdateJson(
        row.id,
        row.context_id,
        artifactId,
        event.chunk ?? '',
        append,
        event.isLast ?? false,
        event.sequence,
      );
      return emit(cursor, event.sequence, 'artifact-update', data, false);
    }
    const target = targetState(row.state, event);
    // Events the worker sent before the task ended elsewhere are kept, but cannot reopen it.
    const moves =
      target !== row.state ? canTransition(row.state, target) : !isTerminalState(row.state);
    const status = agentStatus(target, timestamp, event.message, row.id, row.context_id);
    const metadata: Record<string, unknown> = { sequence: event.sequence };
    if (event.type === 'progress') metadata.progress = event.progress;
    const terminal = moves && isTerminalState(target);
    if (moves) {
      row.state = target;
      row.status = status;
    }
    return emitStatus(
      cursor,
      event.sequence,
      statusUpdate(row.id, row.context_id, status, metadata),
      terminal,
    );
  };

  /** Gives ids to the waiting events that now follow on without a gap. */
  const release = (cursor: Cursor): void => {
    for (
      let next = cursor.waiting.get(cursor.row.last_sequence + 1);
      next;
      next = cursor.waiting.get(cursor.row.last_sequence + 1)
    ) {
      cursor.waiting.delete(next.event.sequence);
      const eventId = assignWorker(cursor, next.event);
      if (next.item === undefined)
        plan.pendingDeletes.push({ taskId: cursor.row.id, sequence: next.event.sequence });
      else plan.outcomes[next.item] = { ok: true, status: 'stored', eventId };
    }
  };

  input.items.forEach((item, index) => {
    if (item.kind === 'create') {
      const cursor: Cursor = { row: newTaskRow(item.task), waiting: new Map(), changed: false };
      cursors.set(item.task.id, cursor);
      const { row } = cursor;
      const eventId = emitStatus(
        cursor,
        null,
        statusUpdate(row.id, row.context_id, row.status),
        false,
      );
      return (plan.outcomes[index] = { ok: true, status: 'stored', eventId });
    }
    if (item.kind === 'gateway') {
      const cursor = cursors.get(item.change.taskId);
      if (!cursor) return (plan.outcomes[index] = notFound(item.change.taskId));
      const { row } = cursor;
      const to = item.change.status.state;
      if (!canTransition(row.state, to)) {
        return (plan.outcomes[index] = {
          ok: false,
          error: isTerminalState(row.state)
            ? new DomainError('TASK_TERMINAL', `Task ${row.id} is already ${row.state}`, {
                state: row.state,
              })
            : new DomainError(
                'ILLEGAL_TRANSITION',
                `Task ${row.id} cannot go from ${row.state} to ${to}`,
              ),
        });
      }
      row.state = to;
      row.status = item.change.status;
      const eventId = emitStatus(
        cursor,
        null,
        statusUpdate(row.id, row.context_id, item.change.status),
        isTerminalState(to),
      );
      return (plan.outcomes[index] = { ok: true, status: 'stored', eventId });
    }

    const event = item.event;
    const cursor = cursors.get(event.taskId);
    if (!cursor) return (plan.outcomes[index] = notFound(event.taskId));
    const { row } = cursor;
    if (event.sequence <= row.last_sequence || cursor.waiting.has(event.sequence)) {
      if (cursor.waiting.has(event.sequence) || !isSkipped(row, event.sequence)) {
        return (plan.outcomes[index] = { ok: true, status: 'duplicate' });
      }
      return (plan.outcomes[index] = {
        ok: false,
        error: new DomainError(
          'SEQUENCE_SKIPPED',
          `Sequence ${event.sequence} of task ${row.id} is behind the stream: its gap was closed after the reorder window`,
          { lastSequence: row.last_sequence },
        ),
      });
    }
    if (isTerminalState(row.state)) {
      return (plan.outcomes[index] = {
        ok: false,
        error: new DomainError('TASK_TERMINAL', `Task ${row.id} is already ${row.state}`, {
          state: row.state,
        }),
      });
    }
    if (event.type === 'status' && event.state && !canTransition(row.state, event.state)) {
      return (plan.outcomes[index] = {
        ok: false,
        error: new DomainError(
          'ILLEGAL_TRANSITION',
          `Task ${row.id} cannot go from ${row.state} to ${event.state}`,
        ),
      });
    }
    cursor.waiting.set(event.sequence, { event, storedAt: input.now, item: index });
    plan.outcomes[index] = { ok: true, status: 'stored' };
    release(cursor);
  });

  for (const cursor of cursors.values()) {
    if (input.closeGaps?.taskIds.has(cursor.row.id))
      skipExpiredGaps(cursor, input.closeGaps.before, release);
    let pendingCount = 0;
    for (const waiting of cursor.waiting.values()) {
      pendingCount += 1;
      if (waiting.item !== undefined) {
        // Every task with a write has a row update: the conditional write keys on it.
        cursor.changed = true;
        plan.pendingInserts.push({
          taskId: cursor.row.id,
          sequence: waiting.event.sequence,
          body: JSON.stringify(waiting.event),
        });
      }
    }
    if (pendingCount !== cursor.row.pending_count) {
      cursor.row.pending_count = pendingCount;
      cursor.changed = true;
    }
    if (pendingCount > 0) plan.tasksWithPending.push(cursor.row.id);
    if (cursor.changed) plan.taskUpdates.push(cursor.row);
  }
  return plan;
}

/** The log columns of a task not stored yet: its log opens in the batch that creates it. */
function newTaskRow(task: NewTask): TaskLogRow {
  return {
    id: task.id,
    context_id: task.contextId,
    state: task.state,
    status: task.status,
    last_event_id: 0,
    last_sequence: 0,
    pending_count: 0,
    artifact_ids: [],
    skipped_sequences: [],
  };
}

/** Skips the missing sequences below every waiter that has waited its whole window. */
function skipExpiredGaps(cursor: Cursor, before: Date, release: (cursor: Cursor) => void): void {
  const expired = [...cursor.waiting.values()]
    .filter((w) => w.storedAt <= before)
    .map((w) => w.event.sequence);
  if (expired.length === 0) return;
  const upTo = Math.max(...expired);
  for (
    let next = Math.min(...cursor.waiting.keys());
    next <= upTo;
    next = Math.min(...cursor.waiting.keys())
  ) {
    skip(cursor.row, cursor.row.last_sequence + 1, next - 1);
    cursor.row.last_sequence = next - 1;
    cursor.changed = true;
    release(cursor);
  }
}

/** Records sequences `from`..`to` as skipped (nothing when the range is empty), in a new list. */
function skip(row: TaskLogRow, from: number, to: number): void {
  if (from <= to) row.skipped_sequences = [...row.skipped_sequences, from, to];
}

function isSkipped(row: TaskLogRow, sequence: number): boolean {
  const ranges = row.skipped_sequences;
  for (let i = 0; i < ranges.length; i += 2) {
    if (sequence >= ranges[i] && sequence <= ranges[i + 1]) return true;
  }
  return false;
}

function targetState(current: TaskState, event: WorkerEvent): TaskState {
  switch (event.type) {
    case 'status':
      return event.state as TaskState;
    case 'error':
      return 'TASK_STATE_FAILED';
    case 'progress':
    case 'chunk':
      return current === 'TASK_STATE_SUBMITTED' ? 'TASK_STATE_WORKING' : current;
  }
}

function notFound(taskId: string): AppendOutcome {
  return { ok: false, error: taskNotFound(taskId) };
}

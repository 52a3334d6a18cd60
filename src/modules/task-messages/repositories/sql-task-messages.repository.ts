import { Injectable } from '@nestjs/common';
import {
  type Artifact,
  foldArtifactUpdate,
  isTerminalState,
  type StreamEventName,
  type TaskArtifactUpdateEvent,
  type TaskState,
} from '../../../../libs/contracts/src';
import { AppConfig } from '../../../config/app-config';
import { Database, type SqlExecutor } from '../../../common/database/database';
import { isUuid } from '../../../common/is-uuid';
import { type AppendItem, type BatchResult, itemTaskId, type WorkerEvent } from '../append-item';
import { type BatchInput, type BatchPlan, planBatch, type TaskLogRow } from '../batch-planner';
import type { StoredEvent } from '../stored-event';
import {
  type PruneResult,
  type ReplayPosition,
  TaskMessagesRepository,
} from '../task-messages.repository';

/** The advisory lock that makes one instance at a time prune (exported for its test). */
export const PRUNE_LOCK_KEY = 727_274_002;

interface EventRow {
  task_id: string;
  event_id: number;
  type: StreamEventName;
  data: string;
}

/** The event log in SQL that PGlite and PostgreSQL both run. */
@Injectable()
export class SqlTaskMessagesRepository extends TaskMessagesRepository {
  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {
    super();
  }

  appendBatch(items: AppendItem[], now: Date): Promise<BatchResult> {
    return this.inTransaction([...new Set(items.map(itemTaskId))], items, now);
  }

  closeGaps(taskId: string, now: Date, before: Date): Promise<BatchResult> {
    return this.inTransaction([taskId], [], now, { taskIds: new Set([taskId]), before });
  }

  private inTransaction(
    taskIds: string[],
    items: AppendItem[],
    now: Date,
    closeGaps?: BatchInput['closeGaps'],
  ): Promise<BatchResult> {
    return this.db.transaction(async (tx) => {
      // Locked in id order so that two instances writing the same tasks cannot deadlock.
      const rows = await tx.query<TaskLogRow>(
        `SELECT id, context_id, state, status, last_event_id, last_sequence, pending_count, artifact_ids
           FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [taskIds.filter(isUuid)],
      );
      const withPending = rows.filter((r) => r.pending_count > 0).map((r) => r.id);
      const storedPending = withPending.length
        ? (
            await tx.query<{ body: WorkerEvent; created_at: Date }>(
              'SELECT body, created_at FROM task_message_pending WHERE task_id = ANY($1::uuid[]) ORDER BY task_id, sequence',
              [withPending],
            )
          ).map((r) => ({ event: r.body, storedAt: r.created_at }))
        : [];
      const storedSequences = await this.storedSequencesBehind(tx, rows, items);
      const plan = planBatch({ rows, items, storedPending, storedSequences, closeGaps, now });
      await this.write(tx, plan, now);
      return {
        outcomes: plan.outcomes,
        events: plan.inserts.map(({ taskId, id, event, data, terminal }) => ({
          taskId,
          id,
          event,
          data,
          terminal,
        })),
        tasksWithPending: plan.tasksWithPending,
      };
    });
  }

  /** Which of the batch's sequences at or below a task's last_sequence are already in the log. */
  private async storedSequencesBehind(
    tx: SqlExecutor,
    rows: TaskLogRow[],
    items: AppendItem[],
  ): Promise<Set<string>> {
    const lastSequence = new Map(rows.map((r) => [r.id, r.last_sequence]));
    const behind = items.flatMap((item) =>
      item.kind === 'worker' && item.event.sequence <= (lastSequence.get(item.event.taskId) ?? 0)
        ? [item.event]
        : [],
    );
    if (behind.length === 0) return new Set();
    const found = await tx.query<{ task_id: string; sequence: number }>(
      `SELECT task_id, sequence FROM task_messages
        WHERE (task_id, sequence) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
      [behind.map((e) => e.taskId), behind.map((e) => e.sequence)],
    );
    return new Set(found.map((r) => `${r.task_id}:${r.sequence}`));
  }

  private async write(tx: SqlExecutor, plan: BatchPlan, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.config.TASK_MESSAGE_TTL_MINUTES * 60_000);
    if (plan.inserts.length > 0) {
      await tx.query(
        `INSERT INTO task_messages (task_id, event_id, sequence, type, payload, created_at, expires_at)
         SELECT t, e, s, ty, p::json, $6, $7 FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::text[]) AS v(t, e, s, ty, p)`,
        [
          plan.inserts.map((e) => e.taskId),
          plan.inserts.map((e) => e.id),
          plan.inserts.map((e) => e.sequence),
          plan.inserts.map((e) => e.event),
          plan.inserts.map((e) => e.data),
          now,
          expiresAt,
        ],
      );
    }
    if (plan.pendingInserts.length > 0) {
      await tx.query(
        `INSERT INTO task_message_pending (task_id, sequence, body, created_at)
         SELECT t, s, b::json, $4 FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(t, s, b)
         ON CONFLICT DO NOTHING`,
        [
          plan.pendingInserts.map((p) => p.taskId),
          plan.pendingInserts.map((p) => p.sequence),
          plan.pendingInserts.map((p) => p.body),
          now,
        ],
      );
    }
    if (plan.pendingDeletes.length > 0) {
      await tx.query(
        `DELETE FROM task_message_pending WHERE (task_id, sequence) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
        [plan.pendingDeletes.map((p) => p.taskId), plan.pendingDeletes.map((p) => p.sequence)],
      );
    }
    if (plan.taskUpdates.length > 0) {
      const u = plan.taskUpdates;
      await tx.query(
        `UPDATE tasks t SET state = v.state, status = v.status::json, last_event_id = v.last_event_id,
                last_sequence = v.last_sequence, pending_count = v.pending_count,
                artifact_ids = ARRAY(SELECT json_array_elements_text(v.artifact_ids::json)), updated_at = $8
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[])
                AS v(id, state, status, last_event_id, last_sequence, pending_count, artifact_ids)
          WHERE t.id = v.id`,
        [
          u.map((r) => r.id),
          u.map((r) => r.state),
          u.map((r) => JSON.stringify(r.status)),
          u.map((r) => r.last_event_id),
          u.map((r) => r.last_sequence),
          u.map((r) => r.pending_count),
          u.map((r) => JSON.stringify(r.artifact_ids)),
          now,
        ],
      );
    }
  }

  async readAfter(taskId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    if (!isUuid(taskId)) return [];
    const rows = await this.db.query<EventRow>(
      `SELECT task_id, event_id, type, payload::text AS data FROM task_messages
        WHERE task_id = $1 AND event_id > $2 ORDER BY event_id LIMIT $3`,
      [taskId, afterId, limit],
    );
    return rows.map(toStoredEvent);
  }

  async position(taskId: string): Promise<ReplayPosition | null> {
    if (!isUuid(taskId)) return null;
    const [row] = await this.db.query<{
      last_event_id: number;
      pruned_through_event_id: number;
      state: TaskState;
    }>('SELECT last_event_id, pruned_through_event_id, state FROM tasks WHERE id = $1', [taskId]);
    if (!row) return null;
    return {
      lastEventId: row.last_event_id,
      prunedThrough: row.pruned_through_event_id,
      terminal: isTerminalState(row.state),
    };
  }

  compact(taskId: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      const [task] = await tx.query<{ last_event_id: number }>(
        'SELECT last_event_id FROM tasks WHERE id = $1 FOR UPDATE',
        [taskId],
      );
      if (task) await this.foldThrough(tx, taskId, task.last_event_id);
    });
  }

  /** Moves the task's artifact snapshot forward to `throughId` (no-op if it is already there). */
  private async foldThrough(tx: SqlExecutor, taskId: string, throughId: number): Promise<void> {
    const [task] = await tx.query<{ artifacts: Artifact[]; snapshot_event_id: number }>(
      'SELECT artifacts, snapshot_event_id FROM tasks WHERE id = $1',
      [taskId],
    );
    if (!task || task.snapshot_event_id >= throughId) return;
    const updates = await tx.query<{ data: { artifactUpdate: TaskArtifactUpdateEvent } }>(
      `SELECT payload AS data FROM task_messages
        WHERE task_id = $1 AND event_id > $2 AND event_id <= $3 AND type = 'artifact-update' ORDER BY event_id`,
      [taskId, task.snapshot_event_id, throughId],
    );
    const artifacts = updates.reduce(
      (acc, row) => foldArtifactUpdate(acc, row.data.artifactUpdate),
      task.artifacts,
    );
    await tx.query('UPDATE tasks SET artifacts = $2::json, snapshot_event_id = $3 WHERE id = $1', [
      taskId,
      JSON.stringify(artifacts),
      throughId,
    ]);
  }

  pruneExpired(now: Date, batchSize: number): Promise<PruneResult> {
    return this.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [PRUNE_LOCK_KEY],
      );
      if (!lock?.locked) return { locked: false, deleted: 0 };
      const doomed = await tx.query<{ task_id: string; through: number }>(
        `SELECT task_id, max(event_id) AS through FROM (
           SELECT task_id, event_id FROM task_messages WHERE expires_at <= $1 ORDER BY expires_at, task_id, event_id LIMIT $2
         ) expired GROUP BY task_id ORDER BY task_id`,
        [now, batchSize],
      );
      if (doomed.length === 0) return { locked: true, deleted: 0 };
      await tx.query('SELECT 1 FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
        doomed.map((d) => d.task_id),
      ]);
      for (const { task_id, through } of doomed) await this.foldThrough(tx, task_id, through);
      const deleted = await tx.query<{ task_id: string }>(
        `DELETE FROM task_messages m USING unnest($1::uuid[], $2::int[]) AS d(task_id, through)
          WHERE m.task_id = d.task_id AND m.event_id <= d.through AND m.expires_at <= $3
          RETURNING m.task_id`,
        [doomed.map((d) => d.task_id), doomed.map((d) => d.through), now],
      );
      await tx.query(
        `UPDATE tasks t SET pruned_through_event_id = GREATEST(t.pruned_through_event_id, d.through)
           FROM unnest($1::uuid[], $2::int[]) AS d(task_id, through) WHERE t.id = d.task_id`,
        [doomed.map((d) => d.task_id), doomed.map((d) => d.through)],
      );
      return { locked: true, deleted: deleted.length };
    });
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    taskId: row.task_id,
    id: row.event_id,
    event: row.type,
    data: row.data,
    terminal: isTerminalData(row),
  };
}

function isTerminalData(row: EventRow): boolean {
  if (row.type !== 'status-update') return false;
  const { statusUpdate } = JSON.parse(row.data) as {
    statusUpdate: { status: { state: TaskState } };
  };
  return isTerminalState(statusUpdate.status.state);
}

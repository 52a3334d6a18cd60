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
import type { TaskScope } from '../../../common/http/agent-scope.decorator';
import { isUuid } from '../../../common/is-uuid';
import {
  type AppendItem,
  type AppendOutcome,
  type BatchResult,
  itemTaskId,
  type WorkerEvent,
} from '../append-item';
import {
  type BatchInput,
  type BatchPlan,
  type PlannedEvent,
  planBatch,
  type TaskLogRow,
} from '../batch-planner';
import type { StoredEvent } from '../stored-event';
import type { NewTask } from '../../tasks/task-record';
import { type EventBlock, toBlocks } from './event-blocks';
import { TaskRowCache } from './task-row-cache';
import {
  type PruneResult,
  type ReplayPosition,
  TaskMessagesRepository,
} from '../task-messages.repository';

/** The advisory lock that makes one instance at a time prune (exported for its test). */
export const PRUNE_LOCK_KEY = 727_274_002;
/** The length PostgreSQL's planner assumes for an array it cannot see (a generic plan's). */
const GENERIC_PLAN_ARRAY_LENGTH = 10;
/** Conditional writes tried before a batch's remaining tasks go through the locking transaction. */
const OPTIMISTIC_ROUNDS = 3;
/**
 * Task rows kept for conditional writes (about 0.5 KB each, so some 10 MB); a miss costs one
 * read. Sized above the 10,000 concurrent streams the gateway is built for: with room for only
 * 10,000, a sweep over 10,000 tasks missed every time (bench scenario c: mean commit 13 ms at
 * 10,000 rows, 6 ms at 20,000).
 */
const CACHED_TASK_ROWS = 20_000;
const TASK_LOG_COLUMNS =
  'id, context_id, state, status, last_event_id, last_sequence, pending_count, artifact_ids, skipped_sequences';

/** The largest event id (an integer column): reading "through the end of the log". */
const MAX_EVENT_ID = 2_147_483_647;
/** Between the payloads of one statement (see joinPayloads): ASCII's record separator. */
const PAYLOAD_SEPARATOR = '\x1e';

interface EventRow {
  event_id: number;
  type: StreamEventName;
  data: string;
}

/** The event log in SQL that PGlite and PostgreSQL both run. */
@Injectable()
export class SqlTaskMessagesRepository extends TaskMessagesRepository {
  private readonly rowCache = new TaskRowCache(CACHED_TASK_ROWS);

  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /**
   * One group-commit batch. The common case is a single autocommit statement: the task rows come
   * from the cache (or one plain read), the plan is made here, and the write updates each task
   * row only if it still holds what the plan was made from, inserting that task's events in the
   * same statement. Tasks whose row had moved on (another instance, a gap closed meanwhile) are
   * planned again from a fresh read; after a few such rounds the rest goes through the locking
   * transaction, which always succeeds. Four round trips fewer per batch than BEGIN, SELECT FOR
   * UPDATE, INSERT, UPDATE, COMMIT, which is most of a small batch's time on a busy machine.
   */
  async appendBatch(items: AppendItem[], now: Date): Promise<BatchResult> {
    const outcomes: AppendOutcome[] = new Array<AppendOutcome>(items.length);
    const events: StoredEvent[] = [];
    const tasksWithPending: string[] = [];
    const tasksWithPushConfigs: string[] = [];
    let remaining = items.map((item, index) => ({ item, index }));
    for (let round = 0; remaining.length > 0; round++) {
      const batch = remaining.map((r) => r.item);
      const attempt =
        round < OPTIMISTIC_ROUNDS
          ? await this.appendOptimistically(batch, now, round > 0)
          : { result: await this.appendLocked(batch, now), retry: new Set<string>() };
      attempt.result.outcomes.forEach((outcome, i) => {
        if (outcome !== undefined) outcomes[remaining[i].index] = outcome;
      });
      events.push(...attempt.result.events);
      tasksWithPending.push(...attempt.result.tasksWithPending);
      tasksWithPushConfigs.push(...attempt.result.tasksWithPushConfigs);
      remaining = remaining.filter((r) => attempt.retry.has(itemTaskId(r.item)));
    }
    return { outcomes, events, tasksWithPending, tasksWithPushConfigs };
  }

  /**
   * A conditional write, or, if PostgreSQL chose it as a deadlock's victim, the locking
   * transaction. The pruner and the locking transaction lock task rows in id order, but an UPDATE
   * locks them in the order its plan visits them, which the plan decides (the heap's, or the
   * JSON's); locking first in a CTE costs every batch (bench d: a fifth more database CPU per
   * event). A deadlock rolls the statement back whole, so nothing of it was stored, and the
   * locking transaction then takes the rows in id order. Rare, and it costs the batch the
   * server's deadlock_timeout (1 s by default) instead of failing it.
   */
  private async appendOptimistically(
    items: AppendItem[],
    now: Date,
    fresh: boolean,
  ): Promise<{ result: BatchResult; retry: Set<string> }> {
    try {
      return await this.appendConditionally(items, now, fresh);
    } catch (error) {
      if (!isDeadlock(error)) throw error;
      return { result: await this.appendLocked(items, now), retry: new Set() };
    }
  }

  closeGaps(taskId: string, now: Date, before: Date): Promise<BatchResult> {
    return this.inTransaction([taskId], [], now, { taskIds: new Set([taskId]), before });
  }

  async tasksWaitingSince(before: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ task_id: string }>(
      'SELECT DISTINCT task_id FROM task_message_pending WHERE created_at <= $1 LIMIT $2',
      [before, limit],
    );
    return rows.map((r) => r.task_id);
  }

  private appendLocked(items: AppendItem[], now: Date): Promise<BatchResult> {
    return this.inTransaction(storedTaskIds(items, tasksCreatedBy(items)), items, now);
  }

  /**
   * Plans the batch from cached (or, with `fresh`, newly read) rows and writes it in one
   * statement, conditional per task. Returns the outcomes of the tasks that were decided and the
   * tasks to try again; their items have no outcome yet.
   */
  private async appendConditionally(
    items: AppendItem[],
    now: Date,
    fresh: boolean,
  ): Promise<{ result: BatchResult; retry: Set<string> }> {
    const creating = tasksCreatedBy(items);
    const taskIds = storedTaskIds(items, creating);
    const rows: TaskLogRow[] = [];
    const cached = new Set<string>();
    const toRead: string[] = [];
    for (const id of taskIds) {
      const row = fresh ? undefined : this.rowCache.get(id);
      if (row === undefined) toRead.push(id);
      else {
        rows.push(row);
        cached.add(id);
      }
    }
    if (toRead.length > 0) {
      rows.push(
        ...(await this.db.query<TaskLogRow>(
          `SELECT ${TASK_LOG_COLUMNS} FROM tasks WHERE id = ANY($1::uuid[])`,
          [toRead],
        )),
      );
    }
    const storedPending = await this.storedPending(this.db, rows);
    const plan = planBatch({ rows, items, storedPending, now });

    // A refusal decided on a cached row is only as good as the cache: decide it again on a
    // fresh read (refusals are rare; a stale refusal would be wrong, not just slow).
    const retry = new Set<string>();
    plan.outcomes.forEach((outcome, i) => {
      const taskId = itemTaskId(items[i]);
      if (!outcome.ok && cached.has(taskId)) retry.add(taskId);
    });
    const expected = new Map(rows.map((r) => [r.id, r]));
    const updates = plan.taskUpdates.filter((r) => !retry.has(r.id));
    const written = await this.writeConditionally(this.db, plan, updates, expected, now, creating);
    for (const row of updates) {
      if (!written.has(row.id)) retry.add(row.id);
    }
    for (const id of retry) this.rowCache.delete(id);
    for (const row of rows) if (!cached.has(row.id) && !retry.has(row.id)) this.remember(row);
    for (const row of updates) if (written.has(row.id)) this.remember(row);

    const done = (taskId: string): boolean => !retry.has(taskId);
    return {
      result: {
        outcomes: plan.outcomes.map((o, i) =>
          done(itemTaskId(items[i])) ? o : undefined,
        ) as AppendOutcome[],
        events: plan.inserts.filter((e) => done(e.taskId)).map(toBatchEvent),
        tasksWithPending: plan.tasksWithPending.filter(done),
        tasksWithPushConfigs: withPushConfigs(written).filter(done),
      },
      retry,
    };
  }

  private remember(row: TaskLogRow): void {
    // An ended task takes no more events: keeping its row would only hold memory.
    if (isTerminalState(row.state)) this.rowCache.delete(row.id);
    else this.rowCache.set(row);
  }

  /**
   * The plan's writes in one statement: each stored task row is updated only while it still
   * holds the values the plan started from, a new task's row is inserted (`creating`), and a
   * task's events and pending changes are written only if its row was. Returns the tasks
   * written, each with whether it has push configs (counted on the row by a trigger, so no
   * second query per batch asks). Task rows travel as one JSON document (json_to_recordset, which
   * reads JSON arrays into the array columns: a subquery per array and row cost the update of 30
   * rows a tenth more); events as one block per task (toBlocks), sent as parallel arrays with
   * their payloads in one text (joinPayloads).
   */
  private async writeConditionally(
    executor: SqlExecutor,
    plan: BatchPlan,
    updates: TaskLogRow[],
    expected: ReadonlyMap<string, TaskLogRow>,
    now: Date,
    creating: ReadonlyMap<string, NewTask>,
  ): Promise<Map<string, boolean>> {
    if (updates.length === 0) return new Map();
    const writing = new Set(updates.map((r) => r.id));
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const ctes: string[] = [];
    // The CTEs that wrote task rows (`upd`, `made`): the events of no other task are stored.
    const written: string[] = [];
    const stored = updates.filter((r) => !creating.has(r.id));
    if (stored.length > 0) {
      ctes.push(updateStoredTasks(stored, expected, now, param));
      written.push('upd');
    }
    const created = updates.flatMap((r) => {
      const task = creating.get(r.id);
      return task ? [newTaskJson(task, r)] : [];
    });
    if (created.length > 0) {
      ctes.push(insertNewTasks(created, param));
      written.push('made');
    }
    // One of them alone is read as it is, so a batch without new tasks runs the statement it ran
    // before tasks were created here.
    let wrote = written[0];
    if (written.length > 1) {
      wrote = 'wrote';
      ctes.push(
        `wrote AS (${written.map((w) => `SELECT id, push_config_count FROM ${w}`).join(' UNION ALL ')})`,
      );
    }
    const blocks = toBlocks(plan.inserts.filter((e) => writing.has(e.taskId)));
    if (blocks.length > 0) {
      const expiresAt = new Date(now.getTime() + this.config.TASK_MESSAGE_TTL_MINUTES * 60_000);
      ctes.push(`ins AS (
        INSERT INTO task_message_blocks
               (task_id, first_event_id, last_event_id, types, sequences, payloads, created_at, expires_at)
        SELECT m.t, m.f, m.l, string_to_array(m.ty, ','), string_to_array(m.s, ',', 'null')::int[], m.p,
               ${param(now)}, ${param(expiresAt)}
          FROM unnest(${param(blocks.map((b) => b.taskId))}::uuid[],
                      ${param(blocks.map((b) => b.first))}::int[],
                      ${param(blocks.map((b) => b.last))}::int[],
                      ${param(blocks.map((b) => b.types))}::text[],
                      ${param(blocks.map((b) => b.sequences))}::text[],
                      string_to_array(${param(joinPayloads(blocks))}, ${param(PAYLOAD_SEPARATOR)})::json[])
               AS m(t, f, l, ty, s, p)
         WHERE m.t IN (SELECT id FROM ${wrote}))`);
    }
    const pendingInserts = plan.pendingInserts.filter((p) => writing.has(p.taskId));
    if (pendingInserts.length > 0) {
      const doc = jsonRows(
        pendingInserts,
        (p) => `"t":${JSON.stringify(p.taskId)},"s":${p.sequence},"b":${p.body}`,
      );
      ctes.push(`pins AS (
        INSERT INTO task_message_pending (task_id, sequence, body, created_at)
        SELECT x.t, x.s, x.b, ${param(now)}
          FROM json_to_recordset(${param(doc)}::json) AS x(t uuid, s int, b json)
         WHERE x.t IN (SELECT id FROM ${wrote})
        ON CONFLICT DO NOTHING)`);
    }
    const pendingDeletes = plan.pendingDeletes.filter((p) => writing.has(p.taskId));
    if (pendingDeletes.length > 0) {
      ctes.push(`pdel AS (
        DELETE FROM task_message_pending d
         USING json_to_recordset(${param(JSON.stringify(pendingDeletes))}::json)
               AS x("taskId" uuid, sequence int)
         WHERE d.task_id = x."taskId" AND d.sequence = x.sequence
           AND x."taskId" IN (SELECT id FROM ${wrote}))`);
    }
    // The text depends only on which parts the batch has: a handful of prepared statements.
    const rows = await executor.query<{ id: string; push_config_count: number }>(
      `WITH ${ctes.join(',\n')}\nSELECT id, push_config_count FROM ${wrote}`,
      params,
      { prepareAs: `append-${ctes.map((c) => c.slice(0, c.indexOf(' '))).join('-')}` },
    );
    return new Map(rows.map((r) => [r.id, r.push_config_count > 0]));
  }

  /** The batch under row locks: `taskIds` are the stored tasks it touches (new ones have none). */
  private inTransaction(
    taskIds: string[],
    items: AppendItem[],
    now: Date,
    closeGaps?: BatchInput['closeGaps'],
  ): Promise<BatchResult> {
    // Whatever this changes, the cached rows of these tasks no longer describe it.
    for (const id of taskIds) this.rowCache.delete(id);
    const creating = tasksCreatedBy(items);
    return this.db.transaction(async (tx) => {
      // Locked in id order so that two instances writing the same tasks cannot deadlock.
      const rows = await tx.query<TaskLogRow>(
        `SELECT ${TASK_LOG_COLUMNS} FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [taskIds.filter(isUuid)],
      );
      const storedPending = await this.storedPending(tx, rows);
      const plan = planBatch({ rows, items, storedPending, closeGaps, now });
      const expected = new Map(rows.map((r) => [r.id, r]));
      // Under the row locks the conditions hold by construction; a miss would be a bug.
      const written = await this.writeConditionally(
        tx,
        plan,
        plan.taskUpdates,
        expected,
        now,
        creating,
      );
      if (written.size !== plan.taskUpdates.length)
        throw new Error('Task rows changed while locked: the batch was not stored');
      return {
        outcomes: plan.outcomes,
        events: plan.inserts.map(toBatchEvent),
        tasksWithPending: plan.tasksWithPending,
        tasksWithPushConfigs: withPushConfigs(written),
      };
    });
  }

  /** The events already waiting for a missing sequence, for the tasks that have any. */
  private async storedPending(
    executor: SqlExecutor,
    rows: TaskLogRow[],
  ): Promise<BatchInput['storedPending']> {
    const withPending = rows.filter((r) => r.pending_count > 0).map((r) => r.id);
    if (withPending.length === 0) return [];
    const pending = await executor.query<{ body: WorkerEvent; created_at: Date }>(
      'SELECT body, created_at FROM task_message_pending WHERE task_id = ANY($1::uuid[]) ORDER BY task_id, sequence',
      [withPending],
    );
    return pending.map((r) => ({ event: r.body, storedAt: r.created_at }));
  }

  async readAfter(taskId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    if (!isUuid(taskId)) return [];
    const rows = await this.db.query<EventRow>(
      // In task_events' own order (the key's): an ORDER BY here would read every later block.
      `SELECT event_id, type, payload::text AS data FROM task_events($1, $2, ${MAX_EVENT_ID}) LIMIT $3`,
      [taskId, afterId, limit],
      // Every stream opens with this read: planning it each time cost PostgreSQL more than running it.
      { prepareAs: 'read-after' },
    );
    return rows.map((row) => toStoredEvent(taskId, row));
  }

  async position(scope: TaskScope, taskId: string): Promise<ReplayPosition | null> {
    if (!isUuid(taskId)) return null;
    // The scope is a column, not a condition: given org and agent in the WHERE, PostgreSQL without
    // fresh statistics chose the listing index (org, agent, ...) and read every task of the agent
    // to find one (5.4 ms with 10,000 tasks, before their first ANALYZE; 0.04 ms by the key).
    const [row] = await this.db.query<{
      last_event_id: number;
      pruned_through_event_id: number;
      state: TaskState;
      in_scope: boolean;
    }>(
      `SELECT last_event_id, pruned_through_event_id, state, org = $2 AND agent = $3 AS in_scope
         FROM tasks WHERE id = $1`,
      [taskId, scope.org, scope.agent],
      { prepareAs: 'task-position' },
    );
    if (!row?.in_scope) return null;
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
      `SELECT payload AS data FROM task_events($1, $2, $3) WHERE type = 'artifact-update'`,
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
        `SELECT task_id, max(last_event_id) AS through FROM (
           SELECT task_id, last_event_id FROM task_message_blocks WHERE expires_at <= $1
            ORDER BY expires_at, task_id, last_event_id LIMIT $2
         ) expired GROUP BY task_id ORDER BY task_id`,
        [now, batchSize],
      );
      if (doomed.length === 0) return { locked: true, deleted: 0 };
      await tx.query('SELECT 1 FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
        doomed.map((d) => d.task_id),
      ]);
      for (const { task_id, through } of doomed) await this.foldThrough(tx, task_id, through);
      const deleted = await tx.query<{ events: number }>(
        `DELETE FROM task_message_blocks m USING unnest($1::uuid[], $2::int[]) AS d(task_id, through)
          WHERE m.task_id = d.task_id AND m.last_event_id <= d.through AND m.expires_at <= $3
          RETURNING m.last_event_id - m.first_event_id + 1 AS events`,
        [doomed.map((d) => d.task_id), doomed.map((d) => d.through), now],
      );
      await tx.query(
        `UPDATE tasks t SET pruned_through_event_id = GREATEST(t.pruned_through_event_id, d.through)
           FROM unnest($1::uuid[], $2::int[]) AS d(task_id, through) WHERE t.id = d.task_id`,
        [doomed.map((d) => d.task_id), doomed.map((d) => d.through)],
      );
      return { locked: true, deleted: deleted.reduce((sum, block) => sum + block.events, 0) };
    });
  }
}

/**
 * The blocks' payload arrays as one text, split again by the database. A record separator cannot
 * occur in them: JSON.stringify escapes every control character. PostgreSQL parses each payload once
 * this way; json_to_recordset parsed the whole document and then each payload again (2.2 of the
 * 5.2 ms a 300-event statement took), and a json[] parameter would be escaped character by
 * character on the way.
 */
function joinPayloads(blocks: readonly EventBlock[]): string {
  let text = blocks[0].payloads;
  for (let i = 1; i < blocks.length; i++) text += PAYLOAD_SEPARATOR + blocks[i].payloads;
  return text;
}

/** A JSON array of objects whose members `member` writes (spliced, not re-serialised). */
function jsonRows<T>(items: readonly T[], member: (item: T) => string): string {
  let doc = '[';
  for (let i = 0; i < items.length; i++) doc += `${i === 0 ? '' : ','}{${member(items[i])}}`;
  return `${doc}]`;
}

/** The new tasks among the items, by id: their rows are inserted, not read or updated. */
function tasksCreatedBy(items: readonly AppendItem[]): Map<string, NewTask> {
  const creating = new Map<string, NewTask>();
  for (const item of items) if (item.kind === 'create') creating.set(item.task.id, item.task);
  return creating;
}

/** The tasks whose stored rows a batch reads: every one it names but those it creates. */
function storedTaskIds(
  items: readonly AppendItem[],
  creating: ReadonlyMap<string, NewTask>,
): string[] {
  return [...new Set(items.map(itemTaskId))].filter((id) => isUuid(id) && !creating.has(id));
}

/**
 * The UPDATE of stored task rows (CTE `upd`), each only while it still holds the values the plan
 * started from. In id order: where the plan visits the JSON rows in turn, their rows are locked
 * in the order every other writer locks them (see appendOptimistically for the other plans).
 * The id list lets PostgreSQL find the task rows by their index whatever it estimates for the
 * JSON rows: a plan cached while the table was small seq-scanned every task on each batch.
 */
function updateStoredTasks(
  updates: TaskLogRow[],
  expected: ReadonlyMap<string, TaskLogRow>,
  now: Date,
  param: (value: unknown) => string,
): string {
  const rows = [...updates].sort(byId).map((r) => {
    const was = expected.get(r.id) ?? r;
    return {
      id: r.id,
      state: r.state,
      // These three are sent only when the plan changed them, null standing for "as stored": a
      // stream of chunks changes none of them, and a task with many artifacts or skipped ranges
      // does not carry them through every batch (an unchanged value keeps its stored, possibly
      // TOASTed, copy). The plan replaces a status and skipped_sequences, never changes them in
      // place, and only appends to its copy of artifact_ids.
      status: r.status === was.status ? null : r.status,
      last_event_id: r.last_event_id,
      last_sequence: r.last_sequence,
      pending_count: r.pending_count,
      artifact_ids: r.artifact_ids.length === was.artifact_ids.length ? null : r.artifact_ids,
      skipped_sequences: r.skipped_sequences === was.skipped_sequences ? null : r.skipped_sequences,
      was_state: was.state,
      was_event_id: was.last_event_id,
      was_sequence: was.last_sequence,
      was_pending: was.pending_count,
    };
  });
  return `upd AS (
      UPDATE tasks t SET state = v.state, status = coalesce(v.status, t.status),
             last_event_id = v.last_event_id, last_sequence = v.last_sequence,
             pending_count = v.pending_count, artifact_ids = coalesce(v.artifact_ids, t.artifact_ids),
             skipped_sequences = coalesce(v.skipped_sequences, t.skipped_sequences),
             updated_at = ${param(now)}
        FROM json_to_recordset(${param(JSON.stringify(rows))}::json)
             AS v(id uuid, state text, status json, last_event_id int, last_sequence int,
                  pending_count int, artifact_ids text[], skipped_sequences int[],
                  was_state text, was_event_id int, was_sequence int, was_pending int)
       WHERE t.id = ANY(${param(paddedIds(updates))}::uuid[])
         AND t.id = v.id AND t.state = v.was_state AND t.last_event_id = v.was_event_id
         AND t.last_sequence = v.was_sequence AND t.pending_count = v.was_pending
      RETURNING t.id, t.push_config_count)`;
}

/**
 * The ids of the rows to update, at least GENERIC_PLAN_ARRAY_LENGTH of them (the first repeated,
 * which matches nothing more). PostgreSQL gives a prepared statement a generic plan after five
 * calls planned with their values, unless those plans looked cheaper; the generic plan counts ten
 * ids, so a plan made for fewer looked cheaper, and a statement whose first five commits were
 * small was planned afresh at every call (`bench/batch-statement.ts`, a commit of five events
 * among 10,000 tasks: PGlite 1.67 against 0.92 ms, PostgreSQL 1.07 against 0.73). Reading the
 * list through a sub-select instead, so that no plan knows its length, fixed that but made a
 * commit shaped like bench e's (24 tasks of 10 events among 100) take 3.2-3.6 ms on PostgreSQL
 * against 1.9-2.1 (a scratch timing, alternating builds).
 */
function paddedIds(updates: readonly TaskLogRow[]): string[] {
  const ids = updates.map((r) => r.id);
  while (ids.length < GENERIC_PLAN_ARRAY_LENGTH) ids.push(ids[0]);
  return ids;
}

/** The INSERT of new task rows (CTE `made`), their log columns as the plan opened them. */
function insertNewTasks(created: readonly string[], param: (value: unknown) => string): string {
  return `made AS (
        INSERT INTO tasks (id, org, agent, owner, context_id, parent_task_id, state, status, history,
                           metadata, created_at, updated_at, last_event_id)
        SELECT v.id, v.org, v.agent, v.owner, v.context_id, v.parent_task_id, v.state, v.status,
               v.history, v.metadata, v.created_at, v.created_at, v.last_event_id
          FROM json_to_recordset(${param(`[${created.join(',')}]`)}::json)
               AS v(id uuid, org text, agent text, owner text, context_id text, parent_task_id uuid,
                    state text, status json, history json, metadata json, created_at timestamptz,
                    last_event_id int)
        RETURNING id, push_config_count)`;
}

/** A new task's row as one member of the INSERT's JSON document, with its log opened by the plan. */
function newTaskJson(task: NewTask, row: TaskLogRow): string {
  return JSON.stringify({
    id: task.id,
    org: task.org,
    agent: task.agent,
    owner: task.owner,
    context_id: task.contextId,
    parent_task_id: task.parentTaskId,
    state: row.state,
    status: row.status,
    history: task.history,
    metadata: task.metadata,
    created_at: task.createdAt,
    last_event_id: row.last_event_id,
  });
}

/** Task ids are lowercase canonical UUIDs, whose text sorts as PostgreSQL sorts the uuid. */
function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** PostgreSQL's deadlock_detected. */
function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40P01';
}

function withPushConfigs(written: ReadonlyMap<string, boolean>): string[] {
  return [...written].flatMap(([id, pushed]) => (pushed ? [id] : []));
}

function toBatchEvent({ taskId, id, event, data, terminal }: PlannedEvent): StoredEvent {
  return { taskId, id, event, data, terminal };
}

function toStoredEvent(taskId: string, row: EventRow): StoredEvent {
  return {
    taskId,
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

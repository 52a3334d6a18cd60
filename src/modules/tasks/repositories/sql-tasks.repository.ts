import { Injectable } from '@nestjs/common';
import {
  type Artifact,
  foldArtifactUpdate,
  type Message,
  type TaskArtifactUpdateEvent,
  type TaskState,
  type TaskStatus,
} from '../../../../libs/contracts/src';
import { Database } from '../../../common/database/database';
import { isUuid } from '../../../common/is-uuid';
import type { TaskListQuery, TaskPage, TaskRecord } from '../task-record';
import { TasksRepository } from '../tasks.repository';

interface TaskRow {
  id: string;
  org: string;
  agent: string;
  owner: string;
  context_id: string;
  parent_task_id: string | null;
  state: TaskState;
  status: TaskStatus;
  history: Message[];
  metadata: Record<string, unknown>;
  artifacts: Artifact[];
  last_event_id: number;
  created_at: Date;
  updated_at: Date;
  /** Artifact updates after the folded snapshot, read in the same statement as the row. */
  unfolded: { artifactUpdate: TaskArtifactUpdateEvent }[] | null;
}

// One statement, so the row and the events folded onto it are one consistent snapshot.
const SELECT_TASK = `
  SELECT t.id, t.org, t.agent, t.owner, t.context_id, t.parent_task_id, t.state, t.status, t.history,
         t.metadata, t.artifacts, t.last_event_id, t.created_at, t.updated_at,
         (SELECT json_agg(m.payload ORDER BY m.event_id)
            FROM task_events(t.id, t.snapshot_event_id, t.last_event_id) m
           WHERE m.type = 'artifact-update') AS unfolded
    FROM tasks t`;

@Injectable()
export class SqlTasksRepository extends TasksRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async findById(org: string, id: string): Promise<TaskRecord | null> {
    if (!isUuid(id)) return null;
    // By the key alone, the org checked on the row: with the org in the WHERE, PostgreSQL could
    // choose the listing index (org, ...) and read every task of the org (see the log's position).
    const [row] = await this.db.query<TaskRow>(`${SELECT_TASK} WHERE t.id = $1`, [id], {
      prepareAs: 'task-by-id',
    });
    return row?.org === org ? toRecord(row) : null;
  }

  async appendHistory(org: string, id: string, message: Message): Promise<void> {
    await this.db.query(
      `UPDATE tasks SET history = (history::jsonb || jsonb_build_array($3::jsonb))::json, updated_at = now()
        WHERE id = $1 AND org = $2`,
      [id, org, JSON.stringify(message)],
    );
  }

  async list(org: string, agent: string, owner: string, query: TaskListQuery): Promise<TaskPage> {
    const params: unknown[] = [org, agent, owner, query.limit + 1];
    let where = 't.org = $1 AND t.agent = $2 AND t.owner = $3';
    if (query.state) {
      params.push(query.state);
      where += ` AND t.state = $${params.length}`;
    }
    if (query.cursor) {
      params.push(query.cursor.createdAt, query.cursor.id);
      where += ` AND (t.created_at, t.id) < ($${params.length - 1}, $${params.length}::uuid)`;
    }
    const rows = await this.db.query<TaskRow>(
      `${SELECT_TASK} WHERE ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT $4`,
      params,
    );
    const items = rows.slice(0, query.limit).map(toRecord);
    const last = items[items.length - 1];
    return rows.length > query.limit && last
      ? { items, next: { createdAt: last.createdAt, id: last.id } }
      : { items };
  }
}

function toRecord(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    org: row.org,
    agent: row.agent,
    owner: row.owner,
    contextId: row.context_id,
    parentTaskId: row.parent_task_id,
    state: row.state,
    status: row.status,
    history: row.history,
    metadata: row.metadata,
    artifacts: (row.unfolded ?? []).reduce(
      (acc, e) => foldArtifactUpdate(acc, e.artifactUpdate),
      row.artifacts,
    ),
    lastEventId: row.last_event_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import { Injectable } from '@nestjs/common';
import { Database } from '../../../common/database/database';
import { isUuid } from '../../../common/is-uuid';
import type { A2aVersion } from '../a2a-version';
import type { PushConfigRecord } from './push-config';
import { PushConfigsRepository } from './push-configs.repository';

interface PushConfigRow {
  task_id: string;
  id: string;
  org: string;
  url: string;
  token: string | null;
  auth_scheme: string | null;
  auth_credentials: string | null;
  protocol_version: A2aVersion;
  delivered_through_event_id: number;
  created_by: string;
}

const COLUMNS = `task_id, id, org, url, token, auth_scheme, auth_credentials, protocol_version,
  delivered_through_event_id, created_by`;

/** Push configs in the SQL that PGlite and PostgreSQL both run. */
@Injectable()
export class SqlPushConfigsRepository extends PushConfigsRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async upsert(config: PushConfigRecord): Promise<PushConfigRecord> {
    const [row] = await this.db.query<PushConfigRow>(
      `INSERT INTO push_notification_configs (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (task_id, id) DO UPDATE SET url = EXCLUDED.url, token = EXCLUDED.token,
         auth_scheme = EXCLUDED.auth_scheme, auth_credentials = EXCLUDED.auth_credentials,
         protocol_version = EXCLUDED.protocol_version, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        config.taskId,
        config.id,
        config.org,
        config.url,
        config.token ?? null,
        config.authentication?.scheme ?? null,
        config.authentication?.credentials ?? null,
        config.version,
        config.deliveredThrough,
        config.createdBy,
      ],
    );
    return toRecord(row);
  }

  async find(org: string, taskId: string, id: string): Promise<PushConfigRecord | null> {
    if (!isUuid(taskId)) return null;
    const [row] = await this.db.query<PushConfigRow>(
      `SELECT ${COLUMNS} FROM push_notification_configs WHERE org = $1 AND task_id = $2 AND id = $3`,
      [org, taskId, id],
    );
    return row ? toRecord(row) : null;
  }

  async listByTask(org: string, taskId: string): Promise<PushConfigRecord[]> {
    if (!isUuid(taskId)) return [];
    const rows = await this.db.query<PushConfigRow>(
      `SELECT ${COLUMNS} FROM push_notification_configs WHERE org = $1 AND task_id = $2 ORDER BY created_at, id`,
      [org, taskId],
    );
    return rows.map(toRecord);
  }

  async listByTasks(taskIds: readonly string[]): Promise<PushConfigRecord[]> {
    const ids = taskIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await this.db.query<PushConfigRow>(
      `SELECT ${COLUMNS} FROM push_notification_configs WHERE task_id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toRecord);
  }

  async delete(org: string, taskId: string, id: string): Promise<void> {
    if (!isUuid(taskId)) return;
    await this.db.query(
      'DELETE FROM push_notification_configs WHERE org = $1 AND task_id = $2 AND id = $3',
      [org, taskId, id],
    );
  }

  async advance(org: string, taskId: string, id: string, eventId: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE push_notification_configs
          SET delivered_through_event_id = GREATEST(delivered_through_event_id, $4)
        WHERE org = $1 AND task_id = $2 AND id = $3 RETURNING id`,
      [org, taskId, id, eventId],
    );
    return rows.length > 0;
  }
}

function toRecord(row: PushConfigRow): PushConfigRecord {
  return {
    taskId: row.task_id,
    id: row.id,
    org: row.org,
    url: row.url,
    ...(row.token !== null ? { token: row.token } : {}),
    ...(row.auth_scheme !== null
      ? {
          authentication: {
            scheme: row.auth_scheme,
            ...(row.auth_credentials !== null ? { credentials: row.auth_credentials } : {}),
          },
        }
      : {}),
    version: row.protocol_version,
    deliveredThrough: row.delivered_through_event_id,
    createdBy: row.created_by,
  };
}

import type { Task } from '../../../libs/contracts/src';
import type { TaskRecord } from './task-record';

/** Where a task's streams live, relative to PUBLIC_BASE_URL (or the server root). */
export function taskLinks(
  base: string,
  org: string,
  agent: string,
  taskId: string,
): Record<string, string> {
  const root = `${base}/agent-to-agent/${encodeURIComponent(org)}/${encodeURIComponent(agent)}/tasks/${taskId}`;
  return {
    streamEndpoint: `${root}/stream`,
    streamTokenEndpoint: `${root}/stream-token`,
    messagesEndpoint: `${root}/messages`,
  };
}

/** The A2A v1.0 Task of a record, with the gateway's links in its metadata. */
export function toTask(
  record: TaskRecord,
  base: string,
  options: { history?: boolean } = {},
): Task {
  const task: Task = {
    id: record.id,
    contextId: record.contextId,
    status: record.status,
    artifacts: record.artifacts,
    metadata: {
      ...record.metadata,
      ...(record.parentTaskId ? { parentTaskId: record.parentTaskId } : {}),
      ...taskLinks(base, record.org, record.agent, record.id),
    },
  };
  if (options.history !== false) task.history = record.history;
  return task;
}

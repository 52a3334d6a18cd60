import type { Artifact, Message, TaskState, TaskStatus } from '../../../libs/contracts/src';

/** A task as stored, with its artifacts assembled up to `lastEventId`. */
export interface TaskRecord {
  id: string;
  org: string;
  agent: string;
  owner: string;
  contextId: string;
  parentTaskId: string | null;
  state: TaskState;
  status: TaskStatus;
  history: Message[];
  metadata: Record<string, unknown>;
  artifacts: Artifact[];
  lastEventId: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewTask = Omit<TaskRecord, 'artifacts' | 'lastEventId' | 'updatedAt'>;

export interface TaskListQuery {
  state?: TaskState;
  limit: number;
  cursor?: { createdAt: Date; id: string };
}

export interface TaskPage {
  items: TaskRecord[];
  next?: { createdAt: Date; id: string };
}

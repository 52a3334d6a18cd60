import type { A2aVersion } from '../a2a-version';

export interface PushAuthentication {
  /** An HTTP authentication scheme (`Bearer`, `Basic`, ...). */
  scheme: string;
  credentials?: string;
}

/** An A2A 1.0 TaskPushNotificationConfig in its JSON form. */
export interface TaskPushNotificationConfig {
  id: string;
  taskId: string;
  url: string;
  token?: string;
  authentication?: PushAuthentication;
}

/** What a client asks to register; the id is generated when it gives none. */
export type PushConfigInput = Omit<TaskPushNotificationConfig, 'id' | 'taskId'> & { id?: string };

/** A registered config with what delivery needs to know. */
export interface PushConfigRecord extends TaskPushNotificationConfig {
  org: string;
  /** Notifications take the form of the version that registered the config. */
  version: A2aVersion;
  /** Events of the task's log through this id have been delivered (or given up on). */
  deliveredThrough: number;
  createdBy: string;
}

/** The wire form of a stored config: its secrets go back only to those who may read the task. */
export function toWireConfig(record: TaskPushNotificationConfig): TaskPushNotificationConfig {
  const { id, taskId, url, token, authentication } = record;
  return {
    id,
    taskId,
    url,
    ...(token ? { token } : {}),
    ...(authentication ? { authentication } : {}),
  };
}

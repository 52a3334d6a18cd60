import type { Message, Task, TaskState } from '../../../libs/contracts/src';
import type { StoredEvent } from '../../modules/task-messages/stored-event';

/** The catalogue of facts modules tell each other, each emitted after its write committed. */
export const DomainEvents = {
  TaskCreated: 'task.created',
  TaskCanceled: 'task.canceled',
  TaskInputReceived: 'task.input-received',
  TaskStatusChanged: 'task.status.changed',
  TaskMessagesStored: 'task-messages.stored',
} as const;

export interface TaskCreatedEvent {
  task: Task;
  org: string;
  agent: string;
  owner: string;
  message: Message;
}

export interface TaskStatusChangedEvent {
  taskId: string;
  state: TaskState;
  terminal: boolean;
}

export interface TaskMessagesStoredEvent {
  events: readonly StoredEvent[];
  /** The tasks among them that have push notification configs (as of the commit). */
  tasksWithPushConfigs: readonly string[];
}

export interface TaskCanceledEvent {
  task: Task;
  org: string;
  agent: string;
}

/** A client's next message for a task that was waiting for input. */
export interface TaskInputReceivedEvent {
  task: Task;
  org: string;
  agent: string;
  message: Message;
}

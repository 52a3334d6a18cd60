import { Injectable } from '@nestjs/common';
import { isTerminalState, type Task } from '../../../../libs/contracts/src';
import type { Principal } from '../../../common/auth/principal';
import { DomainError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { type TaskScope, TasksService } from '../../tasks/tasks.service';
import { A2aError } from '../a2a-error';
import type { A2aVersion } from '../a2a-version';
import type { PushConfigInput, TaskPushNotificationConfig } from '../push/push-config';
import { PushConfigsService } from '../push/push-configs.service';
import type { A2aStreamPlan } from '../streaming/a2a-streams';
import { pausesTask } from '../streaming/stream-event';
import type { ListTasksParams } from './params/task-params';
import type { SendMessageInput } from './send-message-input';
import { TaskPauseWaiter } from './task-pause-waiter';

/** The SUBMITTED event that opens a new task's log is always its event 1. */
const FIRST_EVENT_ID = 1;
const DEFAULT_PAGE_SIZE = 50;

export type ListedTask = Task | Omit<Task, 'artifacts'>;

export interface ListTasksResult {
  tasks: ListedTask[];
  nextPageToken: string;
  pageSize: number;
}

/**
 * The A2A operations over the gateway's tasks, in 1.0 terms, for every binding and version.
 * They are views of the same tasks and event log as the REST API: tasks are created, read and
 * canceled through TasksService, and streams come from the event log.
 */
@Injectable()
export class A2aOperations {
  constructor(
    private readonly tasks: TasksService,
    private readonly pushConfigs: PushConfigsService,
    private readonly waiter: TaskPauseWaiter,
    private readonly config: AppConfig,
  ) {}

  /**
   * SendMessage: starts a task, or continues one that waits for input. Unless the client asks
   * to return immediately, waits (A2A_SEND_MESSAGE_WAIT_MS at most) for the task to end or to
   * ask for input, then answers with the task as it is.
   */
  async sendMessage(
    principal: Principal,
    scope: TaskScope,
    input: SendMessageInput,
    version: A2aVersion,
  ): Promise<Task> {
    const { task } = await this.start(principal, scope, input, version);
    if (input.returnImmediately) return withHistory(task, input.historyLength);
    const current = async (): Promise<Task> => this.tasks.get(principal, scope, task.id);
    await this.waiter.waitForPause(task.id, this.config.A2A_SEND_MESSAGE_WAIT_MS, async () =>
      pausesTask((await current()).status.state),
    );
    return withHistory(await current(), input.historyLength);
  }

  /** SendStreamingMessage: starts or continues the task; the stream begins with the Task. */
  async streamMessage(
    principal: Principal,
    scope: TaskScope,
    input: SendMessageInput,
    version: A2aVersion,
  ): Promise<A2aStreamPlan> {
    const { task, isNew } = await this.start(principal, scope, input, version);
    // A new task is streamed from its very first update, so every chunk reaches the client.
    return isNew
      ? { scope, taskId: task.id, start: { task, lastEventId: FIRST_EVENT_ID } }
      : { scope, taskId: task.id };
  }

  async getTask(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    historyLength?: number,
  ): Promise<Task> {
    return withHistory(await this.tasks.get(principal, scope, taskId), historyLength);
  }

  /**
   * ListTasks: the caller's tasks of this agent, newest first, on the REST API's cursor pages.
   * Artifacts are left out unless asked for; history is never listed.
   */
  async listTasks(
    principal: Principal,
    scope: TaskScope,
    params: ListTasksParams,
  ): Promise<ListTasksResult> {
    if (params.contextId !== undefined || params.statusTimestampAfter !== undefined) {
      throw new A2aError(
        'INVALID_PARAMS',
        'ListTasks: the contextId and statusTimestampAfter filters are not supported',
      );
    }
    const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
    const { tasks, nextCursor } = await this.tasks.list(principal, scope, {
      state: params.status,
      limit: pageSize,
      cursor: params.pageToken || undefined,
    });
    return {
      tasks: params.includeArtifacts ? tasks : tasks.map(({ artifacts: _a, ...rest }) => rest),
      nextPageToken: nextCursor ?? '',
      pageSize,
    };
  }

  /** CancelTask; a task that has ended already is not cancelable. */
  async cancelTask(principal: Principal, scope: TaskScope, taskId: string): Promise<Task> {
    try {
      return await this.tasks.cancel(principal, scope, taskId);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'TASK_TERMINAL')
        throw new A2aError('TASK_NOT_CANCELABLE', error.message);
      throw error;
    }
  }

  /** SubscribeToTask: the current Task first, then its updates; not for a task that has ended. */
  async subscribe(principal: Principal, scope: TaskScope, taskId: string): Promise<A2aStreamPlan> {
    const task = await this.tasks.get(principal, scope, taskId);
    if (isTerminalState(task.status.state)) {
      throw new A2aError(
        'UNSUPPORTED_OPERATION',
        `Task ${taskId} has ended (${task.status.state}): there is nothing to subscribe to; use GetTask`,
      );
    }
    return { scope, taskId };
  }

  createPushConfig(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    input: PushConfigInput,
    version: A2aVersion,
  ): Promise<TaskPushNotificationConfig> {
    return this.pushConfigs.create(principal, scope, taskId, input, version);
  }

  getPushConfig(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    id: string,
  ): Promise<TaskPushNotificationConfig> {
    return this.pushConfigs.get(principal, scope, taskId, id);
  }

  listPushConfigs(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
  ): Promise<TaskPushNotificationConfig[]> {
    return this.pushConfigs.list(principal, scope, taskId);
  }

  deletePushConfig(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    id: string,
  ): Promise<void> {
    return this.pushConfigs.delete(principal, scope, taskId, id);
  }

  private async start(
    principal: Principal,
    scope: TaskScope,
    input: SendMessageInput,
    version: A2aVersion,
  ): Promise<{ task: Task; isNew: boolean }> {
    const { message, pushConfig } = input;
    // Checked first: a refused webhook must not leave a task running that nobody hears of.
    if (pushConfig) await this.pushConfigs.checkTarget(pushConfig.url);
    if (message.taskId) {
      const task = await this.tasks.continue(principal, scope, message.taskId, message);
      if (pushConfig) await this.pushConfigs.create(principal, scope, task.id, pushConfig, version);
      return { task, isNew: false };
    }
    const task = await this.tasks.create(principal, scope, { message, metadata: input.metadata });
    if (pushConfig)
      await this.pushConfigs.create(principal, scope, task.id, pushConfig, version, FIRST_EVENT_ID);
    return { task, isNew: true };
  }
}

/** historyLength: unset keeps all history, 0 leaves it out, n keeps the n most recent messages. */
function withHistory(task: Task, historyLength: number | undefined): Task {
  if (historyLength === undefined || !task.history) return task;
  if (historyLength === 0) {
    const { history: _h, ...rest } = task;
    return rest;
  }
  return { ...task, history: task.history.slice(-historyLength) };
}

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Task } from '../../../../libs/contracts/src';
import { Clock } from '../../../common/clock';
import {
  DomainEvents,
  type TaskCanceledEvent,
  type TaskCreatedEvent,
  type TaskInputReceivedEvent,
} from '../../../common/events/domain-events';
import { AgentsService } from '../../agents/agents.service';
import { agentStatus } from '../../task-messages/stream-payloads';
import { TaskMessagesService } from '../../task-messages/task-messages.service';
import { EchoAgent } from '../echo/echo-agent';
import { WorkerClient } from './worker-client';

/**
 * Hands each new task to its agent: the echo agent in-process, any other agent's worker by a
 * signed POST. A worker that never accepts leaves the task FAILED with the reason. A cancel
 * stops the echo agent or a dispatch still retrying, and is POSTed to the worker as the
 * canceled Task (header `X-Gateway-Event: task.canceled`).
 */
@Injectable()
export class TaskDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(TaskDispatcher.name);
  /** Echo runs and dispatches still in progress on this instance. */
  private readonly inProgress = new Map<string, AbortController>();

  constructor(
    private readonly agents: AgentsService,
    private readonly worker: WorkerClient,
    private readonly echo: EchoAgent,
    private readonly taskMessages: TaskMessagesService,
    private readonly clock: Clock,
  ) {}

  @OnEvent(DomainEvents.TaskCreated, { async: true })
  async onTaskCreated({ task, org, agent: name, message }: TaskCreatedEvent): Promise<void> {
    const agent = this.agents.find(org, name);
    if (!agent) return;
    await this.handOver(task, org, name, async (signal) => {
      if (agent.builtIn === 'echo') await this.echo.run(task.id, message, signal);
      else if (agent.endpoint)
        await this.worker.post(agent.endpoint, task, { 'x-gateway-event': 'task.created' }, signal);
    });
  }

  /**
   * A client answered a task that asked for input: its worker gets the Task again, with the new
   * message last in its history (header `X-Gateway-Event: task.input-received`).
   */
  @OnEvent(DomainEvents.TaskInputReceived, { async: true })
  async onTaskInputReceived({ task, org, agent: name }: TaskInputReceivedEvent): Promise<void> {
    const endpoint = this.agents.find(org, name)?.endpoint;
    if (!endpoint) return;
    await this.handOver(task, org, name, (signal) =>
      this.worker.post(endpoint, task, { 'x-gateway-event': 'task.input-received' }, signal),
    );
  }

  @OnEvent(DomainEvents.TaskCanceled, { async: true })
  async onTaskCanceled({ task, org, agent: name }: TaskCanceledEvent): Promise<void> {
    this.inProgress.get(task.id)?.abort();
    const endpoint = this.agents.find(org, name)?.endpoint;
    if (!endpoint) return;
    try {
      await this.worker.post(endpoint, task, { 'x-gateway-event': 'task.canceled' });
    } catch (error) {
      this.logger.warn({ taskId: task.id, err: error }, 'Telling the worker about a cancel failed');
    }
  }

  /** Runs a hand-over that a cancel can stop; one that fails leaves the task FAILED, saying why. */
  private async handOver(
    task: Task,
    org: string,
    name: string,
    run: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const abort = new AbortController();
    this.inProgress.set(task.id, abort);
    try {
      await run(abort.signal);
    } catch (error) {
      if (abort.signal.aborted) return;
      const reason = `Dispatch to agent ${org}/${name} failed: ${(error as Error).message}`;
      this.logger.warn({ taskId: task.id }, reason);
      const status = agentStatus(
        'TASK_STATE_FAILED',
        this.clock.now().toISOString(),
        reason,
        task.id,
        task.contextId,
      );
      await this.taskMessages.append({ kind: 'gateway', change: { taskId: task.id, status } });
    } finally {
      this.inProgress.delete(task.id);
    }
  }

  onApplicationShutdown(): void {
    for (const abort of this.inProgress.values()) abort.abort();
    this.inProgress.clear();
  }
}

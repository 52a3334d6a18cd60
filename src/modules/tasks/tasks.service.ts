import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  INTERRUPTED_TASK_STATES,
  isTerminalState,
  type Message,
  type Part,
  type Task,
  type TaskState,
  type TaskStatus,
} from '../../../libs/contracts/src';
import { AppConfig } from '../../config/app-config';
import type { TaskScope } from '../../common/http/agent-scope.decorator';
import { isAdmin, isMemberOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { DomainError, taskNotFound } from '../../common/errors/domain-error';
import {
  DomainEvents,
  type TaskCanceledEvent,
  type TaskCreatedEvent,
  type TaskInputReceivedEvent,
} from '../../common/events/domain-events';
import { AgentsService } from '../agents/agents.service';
import { TaskMessagesService } from '../task-messages/task-messages.service';
import type { CreateTaskDto, MessageDto } from './dto/create-task.dto';
import type { ListTasksQuery } from './dto/list-tasks.query';
import { decodeCursor, encodeCursor } from './task-cursor';
import type { TaskRecord } from './task-record';
import { toTask } from './task-view';
import { TasksRepository } from './tasks.repository';

export type { TaskScope };

/** The task model: creation, lookups within an org, cancel; the log carries every state change. */
@Injectable()
export class TasksService {
  constructor(
    private readonly repository: TasksRepository,
    private readonly taskMessages: TaskMessagesService,
    private readonly agents: AgentsService,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private get base(): string {
    return this.config.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? '';
  }

  async create(principal: Principal, scope: TaskScope, input: CreateTaskDto): Promise<Task> {
    if (!isMemberOf(principal, scope.org)) {
      throw new DomainError('FORBIDDEN', `You are not a member of org ${scope.org}`);
    }
    this.agents.get(scope.org, scope.agent);
    input.message.parts.forEach(assertPartHasContent);
    if (input.parentTaskId && !(await this.repository.findById(scope.org, input.parentTaskId))) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `parentTaskId: no task ${input.parentTaskId} in org ${scope.org}`,
      );
    }
    const now = this.clock.now();
    const id = randomUUID();
    const contextId = input.contextId ?? input.message.contextId ?? randomUUID();
    const message: Message = {
      ...input.message,
      messageId: input.message.messageId ?? randomUUID(),
      taskId: id,
      contextId,
    };
    const status: TaskStatus = { state: 'TASK_STATE_SUBMITTED', timestamp: now.toISOString() };
    const record: TaskRecord = {
      id,
      org: scope.org,
      agent: scope.agent,
      owner: principal.sub,
      contextId,
      parentTaskId: input.parentTaskId ?? null,
      state: 'TASK_STATE_SUBMITTED',
      status,
      history: [message],
      metadata: input.metadata ?? {},
      artifacts: [],
      lastEventId: 0,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await this.taskMessages.append({ kind: 'create', task: record });
    if (!outcome.ok) throw outcome.error;
    const task = toTask({ ...record, lastEventId: outcome.eventId ?? 1 }, this.base);
    const created: TaskCreatedEvent = {
      task,
      org: scope.org,
      agent: scope.agent,
      owner: principal.sub,
      message,
    };
    this.events.emit(DomainEvents.TaskCreated, created);
    return task;
  }

  /**
   * The client's next message for a task that waits for it (input or auth required): the
   * message joins the history, the task is WORKING again and its agent is handed the message.
   */
  async continue(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    input: MessageDto,
  ): Promise<Task> {
    const record = await this.findVisible(principal, scope, taskId);
    if (!INTERRUPTED_TASK_STATES.includes(record.state)) {
      throw new DomainError(
        isTerminalState(record.state) ? 'TASK_TERMINAL' : 'ILLEGAL_TRANSITION',
        `Task ${taskId} is ${record.state}: only a task waiting for input takes another message`,
        { state: record.state },
      );
    }
    if (input.contextId && input.contextId !== record.contextId) {
      throw new DomainError('VALIDATION_FAILED', "message.contextId: is not the task's context");
    }
    input.parts.forEach(assertPartHasContent);
    const message: Message = {
      ...input,
      messageId: input.messageId ?? randomUUID(),
      taskId,
      contextId: record.contextId,
    };
    await this.repository.appendHistory(scope.org, taskId, message);
    await this.moveTo(taskId, 'TASK_STATE_WORKING');
    const task = await this.get(principal, scope, taskId);
    const received: TaskInputReceivedEvent = {
      task,
      org: scope.org,
      agent: scope.agent,
      message,
    };
    this.events.emit(DomainEvents.TaskInputReceived, received);
    return task;
  }

  /** The task if the principal's orgs include its org and it belongs to this agent; else 404. */
  async findVisible(principal: Principal, scope: TaskScope, taskId: string): Promise<TaskRecord> {
    if (!isMemberOf(principal, scope.org)) throw taskNotFound(taskId);
    return this.findInScope(scope, taskId);
  }

  /** The task of this org and agent, for callers whose access was checked already; else 404. */
  async findInScope(scope: TaskScope, taskId: string): Promise<TaskRecord> {
    const record = await this.repository.findById(scope.org, taskId);
    if (!record || record.agent !== scope.agent) throw taskNotFound(taskId);
    return record;
  }

  async get(principal: Principal, scope: TaskScope, taskId: string): Promise<Task> {
    return toTask(await this.findVisible(principal, scope, taskId), this.base);
  }

  /** The Task as it stands and the last event it includes; access was checked by the caller. */
  async snapshot(scope: TaskScope, taskId: string): Promise<{ task: Task; lastEventId: number }> {
    const record = await this.findInScope(scope, taskId);
    return { task: toTask(record, this.base), lastEventId: record.lastEventId };
  }

  async list(
    principal: Principal,
    scope: TaskScope,
    query: ListTasksQuery,
  ): Promise<{ tasks: Task[]; nextCursor?: string }> {
    if (!isMemberOf(principal, scope.org)) return { tasks: [] };
    const page = await this.repository.list(scope.org, scope.agent, principal.sub, {
      state: query.state,
      limit: query.limit,
      cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const tasks = page.items.map((r) => toTask(r, this.base, { history: false }));
    return page.next ? { tasks, nextCursor: encodeCursor(page.next) } : { tasks };
  }

  /** The task if the principal may change it: its creator or an admin (others of the org: 403). */
  async findManageable(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
  ): Promise<TaskRecord> {
    const record = await this.findVisible(principal, scope, taskId);
    if (record.owner !== principal.sub && !isAdmin(principal)) {
      throw new DomainError('FORBIDDEN', 'Only the task creator or an admin can do this');
    }
    return record;
  }

  async cancel(principal: Principal, scope: TaskScope, taskId: string): Promise<Task> {
    await this.findManageable(principal, scope, taskId);
    await this.moveTo(taskId, 'TASK_STATE_CANCELED');
    const task = await this.get(principal, scope, taskId);
    const canceled: TaskCanceledEvent = { task, org: scope.org, agent: scope.agent };
    this.events.emit(DomainEvents.TaskCanceled, canceled);
    return task;
  }

  /** Stores the gateway's own status change; a refusal (already ended, not allowed) is thrown. */
  private async moveTo(taskId: string, state: TaskState): Promise<void> {
    const status: TaskStatus = { state, timestamp: this.clock.now().toISOString() };
    const outcome = await this.taskMessages.append({ kind: 'gateway', change: { taskId, status } });
    if (!outcome.ok) throw outcome.error;
  }
}

function assertPartHasContent(part: Part, index: number): void {
  if (
    part.text === undefined &&
    part.data === undefined &&
    part.url === undefined &&
    part.raw === undefined
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `message.parts.${index}: a part needs text, data, url or raw`,
    );
  }
}

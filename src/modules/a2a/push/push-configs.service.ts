import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../common/auth/principal';
import { type TaskScope, TasksService } from '../../tasks/tasks.service';
import { A2aError } from '../a2a-error';
import type { A2aVersion } from '../a2a-version';
import { type PushConfigInput, type TaskPushNotificationConfig, toWireConfig } from './push-config';
import { PushConfigsRepository } from './push-configs.repository';
import { PushDelivery } from './push-delivery.service';
import { PushTargetPolicy } from './push-target-policy';

/**
 * The webhooks of a task. They hold the receiver's credentials, so only the task's creator or an
 * admin may see or change them (other members of the org may read the task itself).
 */
@Injectable()
export class PushConfigsService {
  constructor(
    private readonly repository: PushConfigsRepository,
    private readonly tasks: TasksService,
    private readonly policy: PushTargetPolicy,
    private readonly delivery: PushDelivery,
  ) {}

  /**
   * Registers (or replaces) a webhook. It gets the updates stored after `deliveredThrough`:
   * by default those after now; a config sent with a new task's first message passes the
   * task's first event, so it misses nothing the agent did before the config was stored.
   */
  async create(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    input: PushConfigInput,
    version: A2aVersion,
    deliveredThrough?: number,
  ): Promise<TaskPushNotificationConfig> {
    await this.tasks.findManageable(principal, scope, taskId);
    await this.checkTarget(input.url);
    const through = deliveredThrough ?? (await this.tasks.snapshot(scope, taskId)).lastEventId;
    const record = await this.repository.upsert({
      id: input.id || randomUUID(),
      taskId,
      org: scope.org,
      url: input.url,
      ...(input.token ? { token: input.token } : {}),
      ...(input.authentication ? { authentication: input.authentication } : {}),
      version,
      deliveredThrough: through,
      createdBy: principal.sub,
    });
    this.delivery.deliverPending(record);
    return toWireConfig(record);
  }

  /** Throws InvalidParams when the gateway may not call this URL (see PushTargetPolicy). */
  checkTarget(url: string): Promise<void> {
    return this.policy.check(url);
  }

  async get(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    id: string,
  ): Promise<TaskPushNotificationConfig> {
    await this.tasks.findManageable(principal, scope, taskId);
    const record = await this.repository.find(scope.org, taskId, id);
    if (!record)
      throw new A2aError(
        'TASK_NOT_FOUND',
        `Push notification config ${id} of task ${taskId} not found`,
      );
    return toWireConfig(record);
  }

  async list(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
  ): Promise<TaskPushNotificationConfig[]> {
    await this.tasks.findManageable(principal, scope, taskId);
    return (await this.repository.listByTask(scope.org, taskId)).map(toWireConfig);
  }

  /** Idempotent: deleting a config that is gone already succeeds. */
  async delete(principal: Principal, scope: TaskScope, taskId: string, id: string): Promise<void> {
    await this.tasks.findManageable(principal, scope, taskId);
    await this.repository.delete(scope.org, taskId, id);
  }
}

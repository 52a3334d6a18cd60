import type { Principal } from '../../../common/auth/principal';
import type { TaskScope } from '../../tasks/tasks.service';
import { A2aError } from '../a2a-error';
import type { A2aOperations } from '../operations/a2a-operations.service';
import {
  CreatePushConfigParams,
  PushConfigRefParams,
  PushConfigsOfTaskParams,
} from '../operations/params/push-config.params';
import { GetTaskParams, TaskIdParams } from '../operations/params/task-params';
import { validateParams } from '../operations/params/validate-params';
import { parseSendMessage, type SendMessageInput } from '../operations/send-message-input';
import { fromV03Message, fromV03PushConfig, toV03PushConfig, toV03Task } from '../v03/v03-convert';
import type { RpcMethod } from './rpc-method';
import { extendedCardUnsupported } from './v1-methods';

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new A2aError('INVALID_PARAMS', `${path}: must be an object`);
  return value as Record<string, unknown>;
}

/**
 * 0.3 MessageSendParams as 1.0 input. `blocking: false` is 1.0's `returnImmediately`; a
 * request that says nothing blocks, as 0.3 servers did.
 */
function parseV03SendMessage(params: unknown): SendMessageInput {
  const { message, configuration, metadata } = record(params, 'params');
  const config = configuration === undefined ? {} : record(configuration, 'configuration');
  const { pushNotificationConfig, blocking, ...rest } = config;
  return parseSendMessage({
    message: fromV03Message(message),
    metadata,
    configuration: {
      ...rest,
      ...(pushNotificationConfig !== undefined
        ? {
            taskPushNotificationConfig: fromV03PushConfig(
              pushNotificationConfig,
              'configuration.pushNotificationConfig',
            ),
          }
        : {}),
      returnImmediately: blocking === false,
    },
  });
}

/**
 * 0.3's get names the config by `pushNotificationConfigId`; without one it means the task's
 * config, from the time a task had only one: the first registered.
 */
async function getV03PushConfig(
  ops: A2aOperations,
  principal: Principal,
  scope: TaskScope,
  params: unknown,
): Promise<unknown> {
  const { id, pushNotificationConfigId } = record(params, 'params');
  if (pushNotificationConfigId === undefined) {
    const { taskId } = validateParams(PushConfigsOfTaskParams, { taskId: id });
    const [first] = await ops.listPushConfigs(principal, scope, taskId);
    if (!first)
      throw new A2aError('TASK_NOT_FOUND', `Task ${taskId} has no push notification config`);
    return toV03PushConfig(first);
  }
  const ref = validateParams(PushConfigRefParams, { taskId: id, id: pushNotificationConfigId });
  return toV03PushConfig(await ops.getPushConfig(principal, scope, ref.taskId, ref.id));
}

/** The JSON-RPC methods of A2A 0.3, answered in 0.3 form over the same operations. */
export const V03_METHODS = new Map<string, RpcMethod>([
  [
    'message/send',
    async (ops, { principal, scope, params }) => ({
      result: toV03Task(
        await ops.sendMessage(principal, scope, parseV03SendMessage(params), '0.3'),
      ),
    }),
  ],
  [
    'message/stream',
    async (ops, { principal, scope, params }) => ({
      stream: await ops.streamMessage(principal, scope, parseV03SendMessage(params), '0.3'),
    }),
  ],
  [
    'tasks/get',
    async (ops, { principal, scope, params }) => {
      const { id, historyLength } = validateParams(GetTaskParams, params);
      return { result: toV03Task(await ops.getTask(principal, scope, id, historyLength)) };
    },
  ],
  [
    'tasks/cancel',
    async (ops, { principal, scope, params }) => {
      const { id } = validateParams(TaskIdParams, params);
      return { result: toV03Task(await ops.cancelTask(principal, scope, id)) };
    },
  ],
  [
    'tasks/resubscribe',
    async (ops, { principal, scope, params }) => {
      const { id } = validateParams(TaskIdParams, params);
      return { stream: await ops.subscribe(principal, scope, id) };
    },
  ],
  [
    'tasks/pushNotificationConfig/set',
    async (ops, { principal, scope, params }) => {
      const { taskId, pushNotificationConfig } = record(params, 'params');
      const { taskId: id, ...input } = validateParams(CreatePushConfigParams, {
        ...fromV03PushConfig(pushNotificationConfig, 'pushNotificationConfig'),
        taskId,
      });
      const config = await ops.createPushConfig(principal, scope, id, input, '0.3');
      return { result: toV03PushConfig(config) };
    },
  ],
  [
    'tasks/pushNotificationConfig/get',
    async (ops, { principal, scope, params }) => ({
      result: await getV03PushConfig(ops, principal, scope, params),
    }),
  ],
  [
    'tasks/pushNotificationConfig/list',
    async (ops, { principal, scope, params }) => {
      const { id } = record(params, 'params');
      const { taskId } = validateParams(PushConfigsOfTaskParams, { taskId: id });
      const configs = await ops.listPushConfigs(principal, scope, taskId);
      return { result: configs.map(toV03PushConfig) };
    },
  ],
  [
    'tasks/pushNotificationConfig/delete',
    async (ops, { principal, scope, params }) => {
      const { id, pushNotificationConfigId } = record(params, 'params');
      const ref = validateParams(PushConfigRefParams, { taskId: id, id: pushNotificationConfigId });
      await ops.deletePushConfig(principal, scope, ref.taskId, ref.id);
      return { result: null };
    },
  ],
  ['agent/getAuthenticatedExtendedCard', () => Promise.reject(extendedCardUnsupported())],
]);

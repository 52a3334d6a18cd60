import { A2aError } from '../a2a-error';
import { parseSendMessage } from '../operations/send-message-input';
import {
  CreatePushConfigParams,
  PushConfigRefParams,
  PushConfigsOfTaskParams,
} from '../operations/params/push-config.params';
import { GetTaskParams, ListTasksParams, TaskIdParams } from '../operations/params/task-params';
import { validateParams } from '../operations/params/validate-params';
import type { RpcMethod } from './rpc-method';

/** The JSON-RPC methods of A2A 1.0. A Map, so that `__proto__` or `toString` name no method. */
export const V1_METHODS = new Map<string, RpcMethod>([
  [
    'SendMessage',
    async (ops, { principal, scope, params }) => ({
      result: { task: await ops.sendMessage(principal, scope, parseSendMessage(params), '1.0') },
    }),
  ],
  [
    'SendStreamingMessage',
    async (ops, { principal, scope, params }) => ({
      stream: await ops.streamMessage(principal, scope, parseSendMessage(params), '1.0'),
    }),
  ],
  [
    'GetTask',
    async (ops, { principal, scope, params }) => {
      const { id, historyLength } = validateParams(GetTaskParams, params);
      return { result: await ops.getTask(principal, scope, id, historyLength) };
    },
  ],
  [
    'ListTasks',
    async (ops, { principal, scope, params }) => ({
      result: await ops.listTasks(principal, scope, validateParams(ListTasksParams, params ?? {})),
    }),
  ],
  [
    'CancelTask',
    async (ops, { principal, scope, params }) => {
      const { id } = validateParams(TaskIdParams, params);
      return { result: await ops.cancelTask(principal, scope, id) };
    },
  ],
  [
    'SubscribeToTask',
    async (ops, { principal, scope, params }) => {
      const { id } = validateParams(TaskIdParams, params);
      return { stream: await ops.subscribe(principal, scope, id) };
    },
  ],
  [
    'CreateTaskPushNotificationConfig',
    async (ops, { principal, scope, params }) => {
      const { taskId, ...input } = validateParams(CreatePushConfigParams, params);
      return { result: await ops.createPushConfig(principal, scope, taskId, input, '1.0') };
    },
  ],
  [
    'GetTaskPushNotificationConfig',
    async (ops, { principal, scope, params }) => {
      const { taskId, id } = validateParams(PushConfigRefParams, params);
      return { result: await ops.getPushConfig(principal, scope, taskId, id) };
    },
  ],
  [
    'ListTaskPushNotificationConfigs',
    async (ops, { principal, scope, params }) => {
      const { taskId } = validateParams(PushConfigsOfTaskParams, params);
      const configs = await ops.listPushConfigs(principal, scope, taskId);
      return { result: { configs, nextPageToken: '' } };
    },
  ],
  [
    'DeleteTaskPushNotificationConfig',
    async (ops, { principal, scope, params }) => {
      const { taskId, id } = validateParams(PushConfigRefParams, params);
      await ops.deletePushConfig(principal, scope, taskId, id);
      return { result: null };
    },
  ],
  ['GetExtendedAgentCard', () => Promise.reject(extendedCardUnsupported())],
]);

/** The card declares no extended card: the operation is unsupported (spec 3.3.4). */
export function extendedCardUnsupported(): A2aError {
  return new A2aError('UNSUPPORTED_OPERATION', 'This agent has no extended agent card');
}

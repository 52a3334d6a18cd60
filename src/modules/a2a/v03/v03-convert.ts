import {
  type Artifact,
  type Message,
  type Part,
  type StreamResponse,
  type Task,
  type TaskArtifactUpdateEvent,
  type TaskStatus,
  type TaskStatusUpdateEvent,
  toV03State,
} from '../../../../libs/contracts/src';
import { A2aError } from '../a2a-error';
import type { PushConfigInput, TaskPushNotificationConfig } from '../push/push-config';
import type {
  V03Artifact,
  V03Message,
  V03Part,
  V03PushNotificationConfig,
  V03StreamResult,
  V03Task,
  V03TaskPushNotificationConfig,
  V03TaskStatus,
} from './v03-types';

// 0.3 data parts hold an object; a 1.0 data part may hold any JSON value. Other values travel
// wrapped as `{ value }` with this metadata flag, as the official SDK's compat layer does.
const DATA_PART_COMPAT_FLAG = 'data_part_compat';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): A2aError {
  return new A2aError('INVALID_PARAMS', message);
}

export function toV03Part(part: Part): V03Part {
  const metadata = part.metadata ? { metadata: part.metadata } : {};
  if (part.text !== undefined) return { kind: 'text', text: part.text, ...metadata };
  if (part.url !== undefined || part.raw !== undefined) {
    const file = {
      ...(part.url !== undefined ? { uri: part.url } : { bytes: part.raw }),
      ...(part.filename ? { name: part.filename } : {}),
      ...(part.mediaType ? { mimeType: part.mediaType } : {}),
    };
    return { kind: 'file', file, ...metadata };
  }
  if (isRecord(part.data)) return { kind: 'data', data: part.data, ...metadata };
  return {
    kind: 'data',
    data: { value: part.data ?? null },
    metadata: { ...part.metadata, [DATA_PART_COMPAT_FLAG]: true },
  };
}

export function fromV03Part(part: unknown, path: string): Part {
  if (!isRecord(part)) throw invalid(`${path}: must be an object`);
  const metadata = isRecord(part.metadata) ? { ...part.metadata } : undefined;
  switch (part.kind) {
    case 'text':
      if (typeof part.text !== 'string') throw invalid(`${path}.text: must be a string`);
      return { text: part.text, ...(metadata ? { metadata } : {}) };
    case 'file': {
      const file = part.file;
      if (!isRecord(file)) throw invalid(`${path}.file: must be an object`);
      const content =
        typeof file.uri === 'string'
          ? { url: file.uri }
          : typeof file.bytes === 'string'
            ? { raw: file.bytes }
            : undefined;
      if (!content) throw invalid(`${path}.file: needs bytes or uri`);
      return {
        ...content,
        ...(typeof file.name === 'string' ? { filename: file.name } : {}),
        ...(typeof file.mimeType === 'string' ? { mediaType: file.mimeType } : {}),
        ...(metadata ? { metadata } : {}),
      };
    }
    case 'data': {
      if (!isRecord(part.data)) throw invalid(`${path}.data: must be an object`);
      if (metadata?.[DATA_PART_COMPAT_FLAG] === true) {
        delete metadata[DATA_PART_COMPAT_FLAG];
        const rest = Object.keys(metadata).length > 0 ? { metadata } : {};
        return { data: 'value' in part.data ? part.data.value : part.data, ...rest };
      }
      return { data: part.data, ...(metadata ? { metadata } : {}) };
    }
    default:
      throw invalid(`${path}.kind: must be text, file or data`);
  }
}

export function toV03Message(message: Message): V03Message {
  return {
    kind: 'message',
    messageId: message.messageId,
    role: message.role === 'ROLE_USER' ? 'user' : 'agent',
    parts: message.parts.map(toV03Part),
    ...(message.contextId ? { contextId: message.contextId } : {}),
    ...(message.taskId ? { taskId: message.taskId } : {}),
    ...(message.metadata ? { metadata: message.metadata } : {}),
  };
}

/**
 * A 0.3 client's message as 1.0. Shape errors are reported here; what 1.0 also requires
 * (a user role, a message id, parts with content) is checked by the same validation as 1.0.
 */
export function fromV03Message(message: unknown): Record<string, unknown> {
  if (!isRecord(message)) throw invalid('message: must be an object');
  if (!Array.isArray(message.parts)) throw invalid('message.parts: must be an array');
  const role =
    message.role === 'user' ? 'ROLE_USER' : message.role === 'agent' ? 'ROLE_AGENT' : message.role;
  const { kind: _kind, parts, ...rest } = message;
  return {
    ...rest,
    role,
    parts: parts.map((part, index) => fromV03Part(part, `message.parts.${index}`)),
  };
}

function toV03Status(status: TaskStatus): V03TaskStatus {
  return {
    state: toV03State(status.state),
    ...(status.message ? { message: toV03Message(status.message) } : {}),
    ...(status.timestamp ? { timestamp: status.timestamp } : {}),
  };
}

function toV03Artifact(artifact: Artifact): V03Artifact {
  return {
    artifactId: artifact.artifactId,
    ...(artifact.name ? { name: artifact.name } : {}),
    parts: artifact.parts.map(toV03Part),
    ...(artifact.metadata ? { metadata: artifact.metadata } : {}),
  };
}

export function toV03Task(task: Task): V03Task {
  return {
    kind: 'task',
    id: task.id,
    contextId: task.contextId,
    status: toV03Status(task.status),
    ...(task.artifacts.length > 0 ? { artifacts: task.artifacts.map(toV03Artifact) } : {}),
    ...(task.history && task.history.length > 0 ? { history: task.history.map(toV03Message) } : {}),
    metadata: task.metadata,
  };
}

function toV03StatusUpdate(update: TaskStatusUpdateEvent, final: boolean): V03StreamResult {
  return {
    kind: 'status-update',
    taskId: update.taskId,
    contextId: update.contextId,
    status: toV03Status(update.status),
    final,
    ...(update.metadata ? { metadata: update.metadata } : {}),
  };
}

function toV03ArtifactUpdate(update: TaskArtifactUpdateEvent): V03StreamResult {
  return {
    kind: 'artifact-update',
    taskId: update.taskId,
    contextId: update.contextId,
    artifact: toV03Artifact(update.artifact),
    append: update.append,
    lastChunk: update.lastChunk,
    ...(update.metadata ? { metadata: update.metadata } : {}),
  };
}

/** One item of a 0.3 stream; `final` marks the status update after which the stream ends. */
export function toV03StreamResult(response: StreamResponse, final: boolean): V03StreamResult {
  if ('task' in response) return toV03Task(response.task);
  if ('statusUpdate' in response) return toV03StatusUpdate(response.statusUpdate, final);
  return toV03ArtifactUpdate(response.artifactUpdate);
}

export function toV03PushConfig(config: TaskPushNotificationConfig): V03TaskPushNotificationConfig {
  const { authentication } = config;
  const pushNotificationConfig: V03PushNotificationConfig = {
    id: config.id,
    url: config.url,
    ...(config.token ? { token: config.token } : {}),
    ...(authentication
      ? {
          authentication: {
            schemes: [authentication.scheme],
            ...(authentication.credentials ? { credentials: authentication.credentials } : {}),
          },
        }
      : {}),
  };
  return { taskId: config.taskId, pushNotificationConfig };
}

/**
 * A 0.3 PushNotificationConfig as 1.0 input. 0.3 allowed several authentication schemes for
 * one credential; only one can be used, the first, as the official SDK does.
 */
export function fromV03PushConfig(config: unknown, path: string): Record<string, unknown> {
  if (!isRecord(config)) throw invalid(`${path}: must be an object`);
  const { authentication, ...rest } = config;
  if (authentication === undefined) return rest;
  if (!isRecord(authentication) || !Array.isArray(authentication.schemes))
    throw invalid(`${path}.authentication.schemes: must be an array`);
  const auth: PushConfigInput['authentication'] = {
    scheme: String(authentication.schemes[0] ?? ''),
    ...(typeof authentication.credentials === 'string'
      ? { credentials: authentication.credentials }
      : {}),
  };
  return { ...rest, authentication: auth };
}

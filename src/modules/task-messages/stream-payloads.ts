import { randomUUID } from 'node:crypto';
import type { StreamResponse, TaskState, TaskStatus } from '../../../libs/contracts/src';

/** The A2A agent message that carries a status's text, as a status message should. */
export function agentStatus(
  state: TaskState,
  timestamp: string,
  text?: string,
  taskId?: string,
  contextId?: string,
): TaskStatus {
  if (text === undefined) return { state, timestamp };
  return {
    state,
    timestamp,
    message: { messageId: randomUUID(), role: 'ROLE_AGENT', parts: [{ text }], taskId, contextId },
  };
}

export function statusUpdate(
  taskId: string,
  contextId: string,
  status: TaskStatus,
  metadata?: Record<string, unknown>,
): StreamResponse {
  return {
    statusUpdate: metadata
      ? { taskId, contextId, status, metadata }
      : { taskId, contextId, status },
  };
}

export function artifactUpdate(
  taskId: string,
  contextId: string,
  artifactId: string,
  text: string,
  append: boolean,
  lastChunk: boolean,
  sequence: number,
): StreamResponse {
  return {
    artifactUpdate: {
      taskId,
      contextId,
      artifact: { artifactId, parts: [{ text }] },
      append,
      lastChunk,
      metadata: { sequence },
    },
  };
}

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

/**
 * The JSON text of an A2A artifact-update StreamResponse carrying one text chunk, written directly:
 * it is nearly every stored event, and building the object only to serialise it was the planner's
 * largest cost (batch endpoint profile). Its spec checks it against JSON.stringify of the object.
 */
export function artifactUpdateJson(
  taskId: string,
  contextId: string,
  artifactId: string,
  text: string,
  append: boolean,
  lastChunk: boolean,
  sequence: number,
): string {
  return (
    `{"artifactUpdate":{"taskId":${JSON.stringify(taskId)},"contextId":${JSON.stringify(contextId)},` +
    `"artifact":{"artifactId":${JSON.stringify(artifactId)},"parts":[{"text":${JSON.stringify(text)}}]},` +
    `"append":${append},"lastChunk":${lastChunk},"metadata":{"sequence":${sequence}}}}`
  );
}

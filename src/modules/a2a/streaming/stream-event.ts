import {
  INTERRUPTED_TASK_STATES,
  isTerminalState,
  type StreamResponse,
  type TaskState,
} from '../../../../libs/contracts/src';
import type { StoredEvent } from '../../task-messages/stored-event';

const parsed = new WeakMap<StoredEvent, StreamResponse>();

/** The StreamResponse of a stored event, parsed once however many streams and webhooks use it. */
export function streamResponseOf(event: StoredEvent): StreamResponse {
  let response = parsed.get(event);
  if (response === undefined) {
    response = JSON.parse(event.data) as StreamResponse;
    parsed.set(event, response);
  }
  return response;
}

/** A state in which the task waits for someone: it has ended, or it needs the client's input. */
export function pausesTask(state: TaskState): boolean {
  return isTerminalState(state) || INTERRUPTED_TASK_STATES.includes(state);
}

/**
 * Whether an event ends an A2A interaction: a blocking send returns after it and an A2A stream
 * closes after it. That is the status update into a terminal or an interrupted state.
 */
export function endsInteraction(event: StoredEvent): boolean {
  if (event.terminal) return true;
  if (event.event !== 'status-update') return false;
  const response = streamResponseOf(event);
  return 'statusUpdate' in response && pausesTask(response.statusUpdate.status.state);
}

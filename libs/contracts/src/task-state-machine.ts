import { isTerminalState, TASK_STATES, type TaskState } from './a2a';

/**
 * The A2A task lifecycle: a task starts SUBMITTED, never returns to it, and nothing follows a
 * terminal state. Between the working and interrupted states every move is legal (an agent may
 * report WORKING again, ask for input, resume).
 */
export function canTransition(from: TaskState, to: TaskState): boolean {
  return !isTerminalState(from) && to !== 'TASK_STATE_SUBMITTED';
}

const V03_NAMES: Record<string, TaskState> = {
  submitted: 'TASK_STATE_SUBMITTED',
  working: 'TASK_STATE_WORKING',
  'input-required': 'TASK_STATE_INPUT_REQUIRED',
  'auth-required': 'TASK_STATE_AUTH_REQUIRED',
  completed: 'TASK_STATE_COMPLETED',
  failed: 'TASK_STATE_FAILED',
  canceled: 'TASK_STATE_CANCELED',
  rejected: 'TASK_STATE_REJECTED',
};

const V03_BY_STATE = Object.fromEntries(
  Object.entries(V03_NAMES).map(([k, v]) => [v, k]),
) as Record<TaskState, string>;

/** A v1.0 name (`TASK_STATE_WORKING`) or a 0.3 one (`working`), or undefined if neither. */
export function parseTaskState(value: string): TaskState | undefined {
  if ((TASK_STATES as readonly string[]).includes(value)) return value as TaskState;
  return V03_NAMES[value];
}

/** The A2A 0.3 wire name of a state (`TASK_STATE_INPUT_REQUIRED` → `input-required`). */
export function toV03State(state: TaskState): string {
  return V03_BY_STATE[state];
}

import type { ErrorCode } from './error-codes';

/** A failure the domain expects and names; it carries a code, never an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The one answer for a task that does not exist and for one the caller may not see: no leak. */
export function taskNotFound(taskId: string): DomainError {
  return new DomainError('TASK_NOT_FOUND', `Task ${taskId} not found`);
}

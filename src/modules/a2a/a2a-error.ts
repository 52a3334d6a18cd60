import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import {
  isStorageUnavailable,
  STORAGE_RETRY_AFTER_SECONDS,
  STORAGE_UNAVAILABLE_MESSAGE,
} from '../../common/database/storage-unavailable';
import { DomainError } from '../../common/errors/domain-error';
import type { ErrorCode } from '../../common/errors/error-codes';

/**
 * Every error an A2A binding answers with: its JSON-RPC code, and the HTTP status and
 * google.rpc status name of the HTTP+JSON binding (the mapping of the official SDK).
 * `kind` says who defines it: the A2A specification (those carry an ErrorInfo with their
 * reason), JSON-RPC itself, or the gateway (authentication, unknown agent, rate limit).
 */
export const A2A_ERRORS = {
  PARSE_ERROR: { jsonRpc: -32700, http: 400, status: 'INVALID_ARGUMENT', kind: 'jsonrpc' },
  INVALID_REQUEST: { jsonRpc: -32600, http: 400, status: 'INVALID_ARGUMENT', kind: 'jsonrpc' },
  METHOD_NOT_FOUND: { jsonRpc: -32601, http: 404, status: 'NOT_FOUND', kind: 'jsonrpc' },
  INVALID_PARAMS: { jsonRpc: -32602, http: 400, status: 'INVALID_ARGUMENT', kind: 'a2a' },
  INTERNAL_ERROR: { jsonRpc: -32603, http: 500, status: 'INTERNAL', kind: 'jsonrpc' },
  TASK_NOT_FOUND: { jsonRpc: -32001, http: 404, status: 'NOT_FOUND', kind: 'a2a' },
  TASK_NOT_CANCELABLE: { jsonRpc: -32002, http: 400, status: 'FAILED_PRECONDITION', kind: 'a2a' },
  PUSH_NOTIFICATION_NOT_SUPPORTED: {
    jsonRpc: -32003,
    http: 400,
    status: 'FAILED_PRECONDITION',
    kind: 'a2a',
  },
  UNSUPPORTED_OPERATION: {
    jsonRpc: -32004,
    http: 400,
    status: 'FAILED_PRECONDITION',
    kind: 'a2a',
  },
  CONTENT_TYPE_NOT_SUPPORTED: {
    jsonRpc: -32005,
    http: 400,
    status: 'INVALID_ARGUMENT',
    kind: 'a2a',
  },
  VERSION_NOT_SUPPORTED: {
    jsonRpc: -32009,
    http: 400,
    status: 'FAILED_PRECONDITION',
    kind: 'a2a',
  },
  // Outside JSON-RPC's reserved range, so they can never collide with a future A2A code.
  UNAUTHENTICATED: { jsonRpc: -31001, http: 401, status: 'UNAUTHENTICATED', kind: 'gateway' },
  PERMISSION_DENIED: { jsonRpc: -31003, http: 403, status: 'PERMISSION_DENIED', kind: 'gateway' },
  AGENT_NOT_FOUND: { jsonRpc: -31004, http: 404, status: 'NOT_FOUND', kind: 'gateway' },
  RATE_LIMITED: { jsonRpc: -31029, http: 429, status: 'RESOURCE_EXHAUSTED', kind: 'gateway' },
  // The database cannot be reached: the operation may not have run, and is safe to send again.
  UNAVAILABLE: { jsonRpc: -31503, http: 503, status: 'UNAVAILABLE', kind: 'gateway' },
} as const;

export type A2aErrorReason = keyof typeof A2A_ERRORS;

const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
const A2A_DOMAIN = 'a2a-protocol.org';
const GATEWAY_DOMAIN = 'a2a-gateway';

/** A failure as the A2A bindings name it; each binding renders it in its own shape. */
export class A2aError extends Error {
  constructor(
    readonly reason: A2aErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'A2aError';
  }

  get spec(): (typeof A2A_ERRORS)[A2aErrorReason] {
    return A2A_ERRORS[this.reason];
  }

  /** The `google.rpc.ErrorInfo` that 1.0 clients map back to a typed error, if it has one. */
  errorInfo(): { '@type': string; reason: string; domain: string } | undefined {
    const { kind } = this.spec;
    if (kind === 'jsonrpc') return undefined;
    return {
      '@type': ERROR_INFO_TYPE,
      reason: this.reason,
      domain: kind === 'a2a' ? A2A_DOMAIN : GATEWAY_DOMAIN,
    };
  }
}

const FROM_DOMAIN: Partial<Record<ErrorCode, A2aErrorReason>> = {
  VALIDATION_FAILED: 'INVALID_PARAMS',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'UNAUTHENTICATED',
  FORBIDDEN: 'PERMISSION_DENIED',
  NOT_FOUND: 'TASK_NOT_FOUND',
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  AGENT_NOT_FOUND: 'AGENT_NOT_FOUND',
  // A message for a task that has ended, or cannot take one now: the operation is not available.
  TASK_TERMINAL: 'UNSUPPORTED_OPERATION',
  ILLEGAL_TRANSITION: 'UNSUPPORTED_OPERATION',
  RATE_LIMITED: 'RATE_LIMITED',
};

/**
 * The A2A error for what an operation threw: A2A errors as they are, domain errors by their
 * code, an unreachable database as UNAVAILABLE; anything else is not the client's business and
 * becomes undefined (an internal error).
 */
export function toA2aError(error: unknown): A2aError | undefined {
  if (error instanceof A2aError) return error;
  if (error instanceof DomainError) {
    const reason = FROM_DOMAIN[error.code];
    return reason ? new A2aError(reason, error.message) : undefined;
  }
  if (isStorageUnavailable(error)) return new A2aError('UNAVAILABLE', STORAGE_UNAVAILABLE_MESSAGE);
  return undefined;
}

/** The headers an error answer carries on either binding: the auth scheme, or when to retry. */
export function errorHeaders(error: A2aError): Record<string, string> {
  if (error.reason === 'UNAUTHENTICATED') return { 'www-authenticate': 'Bearer' };
  if (error.reason === 'UNAVAILABLE') return { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) };
  return {};
}

/**
 * The A2A error to answer with, whatever was thrown. What is not the client's doing is logged
 * with an id and answered as an internal error carrying only that id.
 */
export function answerableError(error: unknown, logger: Logger): A2aError {
  const known = toA2aError(error);
  if (known?.reason === 'UNAVAILABLE')
    logger.warn({ err: error }, 'Database unavailable: answered 503');
  if (known) return known;
  const errorId = randomUUID();
  logger.error({ err: error, errorId }, 'Unhandled error');
  return new A2aError('INTERNAL_ERROR', `Internal error (error id ${errorId})`);
}

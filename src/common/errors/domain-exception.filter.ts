import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  isStorageUnavailable,
  STORAGE_RETRY_AFTER_SECONDS,
  STORAGE_UNAVAILABLE_MESSAGE,
} from '../database/storage-unavailable';
import { DomainError } from './domain-error';
import { errorBody, type ErrorBody } from './error-body';
import { ERROR_STATUS } from './error-codes';

const HTTP_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * The one place where errors become HTTP answers: `{ "error": { code, message, details? } }`.
 * A database that cannot be reached, or that dropped the connection under a statement, is a 503
 * with Retry-After: the request may not have run, and sent again it is safe (webhook sequences
 * are idempotent). Other unknown errors become a 500 with an id that is logged with the stack;
 * the client never sees it.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body, retryAfter] = this.toResponse(exception);
    // A stream whose headers are already out cannot change its status: just end it.
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  /** The status, the body and, for an error worth retrying later, the seconds to wait. */
  private toResponse(exception: unknown): [number, ErrorBody, number?] {
    if (exception instanceof DomainError) {
      return [
        ERROR_STATUS[exception.code],
        errorBody(exception.code, exception.message, exception.details),
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'HTTP_ERROR');
      return [status, errorBody(code, messageOf(response, exception.message))];
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      const status = fastifyError.statusCode;
      return [
        status,
        errorBody(HTTP_CODES[status] ?? 'HTTP_ERROR', fastifyError.message ?? 'Bad request'),
      ];
    }
    if (isStorageUnavailable(exception)) {
      this.logger.warn({ err: exception }, 'Database unavailable: answered 503');
      return [
        503,
        errorBody('UNAVAILABLE', STORAGE_UNAVAILABLE_MESSAGE),
        STORAGE_RETRY_AFTER_SECONDS,
      ];
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'Unhandled error');
    return [500, errorBody('INTERNAL', 'Internal server error', { errorId })];
  }
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

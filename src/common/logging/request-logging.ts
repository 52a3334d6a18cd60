import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level, Logger } from 'pino';
import { redactUrl } from './redact';

/** A request that takes longer than this (streams excepted) is logged at warn. */
export const SLOW_REQUEST_MS = 1000;

/**
 * One line per finished request: method, redacted URL, status and time; never headers or the
 * query object. Errors (5xx) log at error and slow requests at warn, the rest at info. The level
 * is checked before anything is built, so at LOG_LEVEL=warn a fast 2xx costs one comparison:
 * no child logger and no per-request context (the webhook hot path takes thousands a second).
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    logRequest(logger, request, reply);
    done();
  });
}

function logRequest(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = reply.raw.statusCode;
  const responseTime = reply.elapsedTime;
  const stream = isEventStream(reply);
  let level: Level = 'info';
  if (statusCode >= 500) level = 'error';
  else if (!stream && responseTime >= SLOW_REQUEST_MS) level = 'warn';
  if (!logger.isLevelEnabled(level)) return;
  const message =
    level === 'error'
      ? 'request errored'
      : level === 'warn'
        ? 'slow request'
        : stream
          ? 'stream ended'
          : 'request completed';
  logger[level](
    {
      req: { id: request.id, method: request.method, url: redactUrl(request.url) },
      res: { statusCode },
      responseTime: Math.round(responseTime * 1000) / 1000,
    },
    message,
  );
}

function isEventStream(reply: FastifyReply): boolean {
  const type = reply.raw.getHeader('content-type');
  return typeof type === 'string' && type.startsWith('text/event-stream');
}

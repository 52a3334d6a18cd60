import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerableError } from '../a2a-error';
import { A2A_VERSION_HEADER, versionOrLatest } from '../a2a-version';
import { jsonRpcIdOf, sendJsonRpcError } from './json-rpc-envelope';

/**
 * Everything the JSON-RPC binding fails with, the guard's authentication errors included, as a
 * JSON-RPC error response in the request's version. A stream already open is just ended.
 */
@Catch()
export class JsonRpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('A2A');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = answerableError(exception, this.logger);
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    const version = versionOrLatest(request.headers[A2A_VERSION_HEADER]);
    sendJsonRpcError(reply, error, version, jsonRpcIdOf(request.body));
  }
}

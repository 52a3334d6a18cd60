import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { answerableError } from '../a2a-error';
import { sendHttpJsonError } from './http-json-error';

/** Everything the HTTP+JSON binding fails with, as the binding's google.rpc.Status error. */
@Catch()
export class HttpJsonExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('A2A');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = answerableError(exception, this.logger);
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    sendHttpJsonError(reply, error);
  }
}

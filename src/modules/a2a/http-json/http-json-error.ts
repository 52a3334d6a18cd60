import type { FastifyReply } from 'fastify';
import { type A2aError, errorHeaders } from '../a2a-error';

/** An error of the HTTP+JSON binding: a google.rpc.Status in JSON, as the official SDK sends. */
export function sendHttpJsonError(reply: FastifyReply, error: A2aError): void {
  const { http, status } = error.spec;
  const info = error.errorInfo();
  void reply
    .headers(errorHeaders(error))
    .status(http)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ error: { code: http, status, message: error.message, details: info ? [info] : [] } });
}

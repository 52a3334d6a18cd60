import type { FastifyReply } from 'fastify';
import type { A2aError } from '../a2a-error';

/** An error of the HTTP+JSON binding: a google.rpc.Status in JSON, as the official SDK sends. */
export function sendHttpJsonError(reply: FastifyReply, error: A2aError): void {
  const { http, status } = error.spec;
  const info = error.errorInfo();
  if (error.reason === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer');
  void reply
    .status(http)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ error: { code: http, status, message: error.message, details: info ? [info] : [] } });
}

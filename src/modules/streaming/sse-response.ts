import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};

/** A slow reader is cut off past this much unsent data; it resumes from the store on reconnect. */
export const SSE_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Takes the response over from Fastify and sends the 200 of an event stream, keeping the headers
 * already set on the reply (CORS). Events are written on the raw response from then on.
 */
export function startEventStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const response = reply.raw;
  response.socket?.setNoDelay(true);
  response.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), ...SSE_HEADERS });
  return response;
}

import type { FastifyReply } from 'fastify';
import { A2aError, type A2aErrorReason, errorHeaders } from '../a2a-error';
import type { A2aVersion } from '../a2a-version';
import type { A2aFrameData } from '../streaming/a2a-streams';
import { toV03StreamResult } from '../v03/v03-convert';

export type JsonRpcId = string | number | null;

export interface JsonRpcCall {
  id: JsonRpcId;
  method: string;
  params: unknown;
}

function isId(value: unknown): value is JsonRpcId {
  return (
    value === null ||
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isInteger(value))
  );
}

/** The id to answer with: the request's, when it has a usable one (JSON-RPC: null otherwise). */
export function jsonRpcIdOf(body: unknown): JsonRpcId {
  if (typeof body !== 'object' || body === null || !('id' in body)) return null;
  return isId(body.id) ? body.id : null;
}

/** A JSON-RPC 2.0 request object, or InvalidRequest (batches are not part of A2A). */
export function parseJsonRpcCall(body: unknown): JsonRpcCall {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new A2aError('INVALID_REQUEST', 'The request must be one JSON-RPC 2.0 request object');
  const request = body as Record<string, unknown>;
  if (request.jsonrpc !== '2.0') throw new A2aError('INVALID_REQUEST', 'jsonrpc: must be "2.0"');
  if (typeof request.method !== 'string' || request.method === '')
    throw new A2aError('INVALID_REQUEST', 'method: must be a non-empty string');
  if ('id' in request && !isId(request.id))
    throw new A2aError('INVALID_REQUEST', 'id: must be a string, an integer or null');
  return { id: jsonRpcIdOf(request), method: request.method, params: request.params };
}

// Errors of the gateway itself (and internal ones, as the SDK does) keep their HTTP status on
// the JSON-RPC binding; A2A and JSON-RPC errors travel in a 200, the JSON-RPC convention.
const HTTP_LEVEL = new Set<A2aErrorReason>([
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'AGENT_NOT_FOUND',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL_ERROR',
]);

/** The error object of a response: 1.0 adds the ErrorInfo its clients map to typed errors. */
export function jsonRpcErrorObject(
  error: A2aError,
  version: A2aVersion,
): { code: number; message: string; data?: unknown[] } {
  const info = version === '1.0' ? error.errorInfo() : undefined;
  return { code: error.spec.jsonRpc, message: error.message, ...(info ? { data: [info] } : {}) };
}

export function sendJsonRpcError(
  reply: FastifyReply,
  error: A2aError,
  version: A2aVersion,
  id: JsonRpcId,
): void {
  void reply
    .headers(errorHeaders(error))
    .status(HTTP_LEVEL.has(error.reason) ? error.spec.http : 200)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ jsonrpc: '2.0', id, error: jsonRpcErrorObject(error, version) });
}

export function sendJsonRpcResult(reply: FastifyReply, id: JsonRpcId, result: unknown): void {
  void reply
    .status(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ jsonrpc: '2.0', id, result });
}

/** Stream items as JSON-RPC responses to the request that opened the stream, in its version. */
export function jsonRpcFrameData(version: A2aVersion, id: JsonRpcId): A2aFrameData {
  const prefix = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
  if (version === '1.0') return ({ json }) => `${prefix}${json}}`;
  return ({ response, final }) =>
    `${prefix}${JSON.stringify(toV03StreamResult(response(), final))}}`;
}

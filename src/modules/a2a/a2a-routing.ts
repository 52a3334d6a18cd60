import { Logger } from '@nestjs/common';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preParsingAsyncHookHandler,
} from 'fastify';
import { A2aError, answerableError } from './a2a-error';
import { A2A_VERSION_HEADER, versionOrLatest } from './a2a-version';
import { sendHttpJsonError } from './http-json/http-json-error';
import { jsonRpcIdOf, sendJsonRpcError } from './jsonrpc/json-rpc-envelope';

/** The route config key (`@RouteConfig`) that names the A2A binding a route belongs to. */
export const A2A_BINDING = 'a2aBinding';
type A2aBinding = 'jsonrpc' | 'http+json';

/**
 * The route constraint of the HTTP+JSON routes whose paths the REST API has too (`GET /tasks`,
 * `GET /tasks/{id}`): they answer requests that name an A2A version; REST requests, which do
 * not, still reach the REST routes. A find-my-way constraint, so routing decides, not handlers.
 */
export const A2A_REQUEST = { a2aRequest: 'yes' } as const;

type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteHandler = Parameters<ReturnType<ConstraintStrategy['storage']>['set']>[1];

const a2aRequestStrategy: ConstraintStrategy = {
  name: 'a2aRequest',
  storage() {
    const handlers = new Map<unknown, RouteHandler>();
    return {
      get: (value) => handlers.get(value) ?? null,
      set: (value, handler) => void handlers.set(value, handler),
    };
  },
  deriveConstraint: (request: { headers: Record<string, string | string[] | undefined> }) =>
    request.headers[A2A_VERSION_HEADER] ? 'yes' : undefined,
  // Requests with the header still reach routes that have no such constraint.
  mustMatchWhenDerived: false,
};

const logger = new Logger('A2A');

/**
 * What fails before a handler runs (an unparsable body, a wrong content type, a body too
 * large) is answered in the binding's own error shape, not the REST API's.
 */
function beforeHandlerError(binding: A2aBinding) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode ?? 500;
    const a2aError =
      status === 415
        ? new A2aError('CONTENT_TYPE_NOT_SUPPORTED', `${error.message}: A2A requests are JSON`)
        : status === 413
          ? new A2aError('INVALID_REQUEST', 'The request body is too large')
          : status < 500
            ? new A2aError('PARSE_ERROR', `The request body is not valid JSON: ${error.message}`)
            : answerableError(error, logger);
    if (binding === 'http+json') return sendHttpJsonError(reply, a2aError);
    const version = versionOrLatest(request.headers[A2A_VERSION_HEADER]);
    sendJsonRpcError(reply, a2aError, version, jsonRpcIdOf(request.body));
  };
}

const JSON_MEDIA_TYPES = ['application/json', 'application/a2a+json'];

/**
 * A2A bodies are JSON (`application/json`, or the `application/a2a+json` some clients send);
 * anything else is ContentTypeNotSupported rather than read as text. The SDK's HTTP+JSON client
 * sends `Content-Type: application/json` with no body at all (cancel, subscribe, delete): that
 * is a request without a body, not an invalid JSON document.
 */
const jsonBodiesOnly: preParsingAsyncHookHandler = (request, _reply, payload) => {
  const { headers } = request;
  if (headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0') {
    delete headers['content-type'];
    return Promise.resolve(payload);
  }
  const mediaType = headers['content-type']?.split(';')[0].trim().toLowerCase();
  if (mediaType !== undefined && !JSON_MEDIA_TYPES.includes(mediaType))
    return Promise.reject(
      Object.assign(new Error(`Unsupported Content-Type ${mediaType}`), { statusCode: 415 }),
    );
  return Promise.resolve(payload);
};

/**
 * Teaches the Fastify router the A2A request constraint and the `application/a2a+json` media
 * type, and gives A2A routes their body check and error handler. Must run before Nest registers the routes: the module runs it from a provider.
 */
export function installA2aRouting(fastify: FastifyInstance): void {
  fastify.addConstraintStrategy(a2aRequestStrategy);
  if (!fastify.hasContentTypeParser('application/a2a+json'))
    fastify.addContentTypeParser(
      'application/a2a+json',
      { parseAs: 'string' },
      fastify.getDefaultJsonParser('error', 'error'),
    );
  fastify.addHook('onRoute', (route) => {
    const binding = (route.config as Record<string, unknown> | undefined)?.[A2A_BINDING];
    if (binding !== 'jsonrpc' && binding !== 'http+json') return;
    route.errorHandler = beforeHandlerError(binding);
    route.preParsing = [...hooksOf(route.preParsing), jsonBodiesOnly];
  });
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

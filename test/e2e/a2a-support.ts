// Shared by the a2a-*.e2e-spec suites: the gateway with a scripted worker agent whose task the
// test drives through the webhook, the official SDK clients with a bearer token, and a raw
// JSON-RPC caller.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageRequest } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';
import {
  ClientFactory as V03ClientFactory,
  ClientFactoryOptions as V03ClientFactoryOptions,
  JsonRpcTransportFactory as V03JsonRpcTransportFactory,
  type Client as V03Client,
} from 'a2a-sdk-v03/client';
import type { Task } from '../../libs/contracts/src';
import { type TemporaryAgentsFile, temporaryAgentsFile } from '../utils/agents-file';
import { startTestApp, type TestApp } from '../utils/test-app';
import { postWebhook } from '../utils/webhook-client';

export interface A2aGateway {
  gateway: TestApp;
  /** The gateway's `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** The worker behind acme/scripted. */
  worker: ScriptedWorker;
  /** Moves a scripted task on as its worker would: signed webhook events, each one stored. */
  workerSays(...events: unknown[]): Promise<void>;
}

/**
 * For a describe block: a listening gateway with the built-in acme/echo and the worker-backed
 * acme/scripted, whose worker accepts each hand-over and leaves the rest to the test; both
 * started before the tests and closed after them.
 */
export function useA2aGateway(overrides: Record<string, string> = {}): A2aGateway {
  const context = {
    get baseUrl(): string {
      return context.gateway.baseUrl;
    },
    /** Safe to destructure: it finds the gateway when called. */
    async workerSays(...events: unknown[]): Promise<void> {
      for (const event of events)
        expect((await postWebhook(context.gateway.baseUrl, event)).status).toBe(200);
    },
  } as A2aGateway;
  let agents: TemporaryAgentsFile | undefined;
  beforeAll(async () => {
    context.worker = await startScriptedWorker();
    agents = scriptedAgentsFile('acme', 'scripted', `${context.worker.url}/tasks`);
    context.gateway = await startTestApp({ AGENTS_FILE: agents.path, ...overrides });
  });
  afterAll(async () => {
    await context.gateway?.close();
    await context.worker?.close();
    agents?.remove();
  });
  return context;
}

/** A 1.x SendMessage request: one user message with one text part. */
export function textMessage(
  text: string,
  configuration: Record<string, unknown> = {},
  taskId?: string,
): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], taskId },
    configuration,
  });
}

/** fetch with the user's bearer token: how an A2A client authenticates to the gateway. */
export function bearerFetch(token: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
}

/** The agent's interface URL; the trailing slash makes the SDK resolve the card beneath it. */
export function interfaceUrl(baseUrl: string, org: string, agent: string): string {
  return `${baseUrl}/agent-to-agent/${org}/${agent}`;
}

/** A current (1.x) SDK client, built from the agent card as any A2A client would. */
export function v1Client(
  baseUrl: string,
  token: string,
  org: string,
  agent: string,
  binding: 'JSONRPC' | 'HTTP+JSON' = 'JSONRPC',
): Promise<Client> {
  const fetchImpl = bearerFetch(token);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [
        new JsonRpcTransportFactory({ fetchImpl }),
        new RestTransportFactory({ fetchImpl }),
      ],
      preferredTransports: [binding],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  return factory.createFromUrl(`${interfaceUrl(baseUrl, org, agent)}/`);
}

/** A 0.3.x SDK client: it sends no A2A-Version header, so the gateway answers in 0.3. */
export function v03Client(
  baseUrl: string,
  token: string,
  org: string,
  agent: string,
): Promise<V03Client> {
  const fetchImpl = bearerFetch(token);
  const factory = new V03ClientFactory(
    V03ClientFactoryOptions.createFrom(V03ClientFactoryOptions.default, {
      transports: [new V03JsonRpcTransportFactory({ fetchImpl })],
    }),
  );
  return factory.createFromUrl(`${interfaceUrl(baseUrl, org, agent)}/`);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export interface RawReply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** POSTs a raw body to the JSON-RPC endpoint: for what no SDK client would send. */
export async function postRpc(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<RawReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

export interface Dispatch {
  event: string;
  task: Task;
}

export interface ScriptedWorker {
  url: string;
  /** Every task handed over, in order. */
  dispatches: Dispatch[];
  close(): Promise<void>;
}

/** A worker that accepts every hand-over and does nothing: the test plays the agent. */
export async function startScriptedWorker(): Promise<ScriptedWorker> {
  const dispatches: Dispatch[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      dispatches.push({
        event: String(request.headers['x-gateway-event']),
        task: JSON.parse(raw) as Task,
      });
      response.writeHead(200).end();
    });
  });
  const url = await listen(server);
  return { url, dispatches, close: () => closeServer(server) };
}

/** AGENTS_FILE declaring one worker-backed agent. */
function scriptedAgentsFile(org: string, name: string, endpoint: string): TemporaryAgentsFile {
  const skills = [
    { id: 'script', name: 'Script', description: 'Does what the test says', tags: ['test'] },
  ];
  return temporaryAgentsFile([
    { org, name, endpoint, description: 'Scripted by the test', skills },
  ]);
}

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface PushReceiver {
  url: string;
  /** Every POST, accepted or not, in arrival order. */
  received: ReceivedPush[];
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1; `statuses` are its answers in turn (then 200 forever). */
export async function startPushReceiver(statuses: number[] = []): Promise<PushReceiver> {
  const received: ReceivedPush[] = [];
  const answers = [...statuses];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  const url = await listen(server);
  return { url, received, close: () => closeServer(server) };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { temporaryAgentsFile } from './agents-file';

export interface Dispatch {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; status: { state: string } } & Record<string, unknown>;
}

export interface TestWorker {
  /** Path of an AGENTS_FILE declaring `org/name` with this worker's endpoint. */
  agentsFile: string;
  endpoint: string;
  received: Dispatch[];
  /** Status codes to answer with, in turn; 200 once they run out. */
  replies: number[];
  close(): Promise<void>;
}

/**
 * A real HTTP worker endpoint on 127.0.0.1 that records each dispatch. Tests then play the worker
 * themselves by posting signed webhook events, so they control every chunk and its timing.
 */
export async function startTestWorker(org = 'acme', name = 'writer'): Promise<TestWorker> {
  const received: Dispatch[] = [];
  const replies: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      received.push({
        headers: req.headers,
        rawBody,
        body: JSON.parse(rawBody) as Dispatch['body'],
      });
      res.statusCode = replies.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`;
  const agents = temporaryAgentsFile([{ org, name, endpoint, description: 'test worker' }]);
  return {
    agentsFile: agents.path,
    endpoint,
    received,
    replies,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agents.remove();
    },
  };
}

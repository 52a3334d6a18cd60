// The baseline: the simplest relay that speaks the gateway's wire shape, so the same load generator
// drives both and the gateway's figures can be read as a ratio to "what plain Node http costs".
// No auth, no storage, no signature check, no reordering: each webhook event is written at once to
// the task's open streams.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface WebhookEvent {
  task_id: string;
  sequence: number;
  chunk?: string;
  artifact_id?: string;
  is_last?: boolean;
}

interface TaskStreams {
  nextId: number;
  open: Set<ServerResponse>;
}

const STREAM_PATH = /^\/agent-to-agent\/[^/]+\/[^/]+\/tasks\/([^/?]+)\/stream(?:\?.*)?$/;
const CREATE_PATH = /^\/agent-to-agent\/[^/]+\/[^/]+\/tasks\/?(?:\?.*)?$/;

const tasks = new Map<string, TaskStreams>();

function streamsOf(taskId: string): TaskStreams {
  let entry = tasks.get(taskId);
  if (entry === undefined) {
    entry = { nextId: 1, open: new Set() };
    tasks.set(taskId, entry);
  }
  return entry;
}

function fanOut(event: WebhookEvent): void {
  const entry = streamsOf(event.task_id);
  const id = entry.nextId++;
  if (entry.open.size === 0) return;
  const data = JSON.stringify({
    artifactUpdate: {
      taskId: event.task_id,
      contextId: event.task_id,
      artifact: { artifactId: event.artifact_id ?? 'a1', parts: [{ text: event.chunk ?? '' }] },
      append: event.sequence > 1,
      lastChunk: event.is_last === true,
      metadata: { sequence: event.sequence },
    },
  });
  const frame = `id: ${id}\nevent: artifact-update\ndata: ${data}\n\n`;
  for (const res of entry.open) res.write(frame);
}

function readBody(req: IncomingMessage, done: (body: string) => void): void {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => done(Buffer.concat(parts).toString('utf8')));
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function openStream(taskId: string, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const entry = streamsOf(taskId);
  entry.open.add(res);
  req.socket.setNoDelay(true);
  res.on('close', () => entry.open.delete(res));
}

function ingest(path: string, req: IncomingMessage, res: ServerResponse): void {
  readBody(req, (body) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      answer(res, 400, { error: 'invalid json' });
      return;
    }
    const events = path.endsWith('/batch')
      ? (parsed as { events: WebhookEvent[] }).events
      : [parsed as WebhookEvent];
    for (const event of events) fanOut(event);
    answer(res, 200, { ok: true });
  });
}

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'GET') {
    const stream = STREAM_PATH.exec(url);
    if (stream !== null) return openStream(stream[1], req, res);
    if (url.startsWith('/health/')) return answer(res, 200, { status: 'ok' });
  } else if (req.method === 'POST') {
    if (url === '/internal/webhook/stream' || url === '/internal/webhook/stream/batch')
      return ingest(url, req, res);
    // Same setup path as the gateway: the generator creates a task and gets its id back.
    if (CREATE_PATH.test(url)) return readBody(req, () => answer(res, 201, { id: randomUUID() }));
  }
  answer(res, 404, { error: 'not found' });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));

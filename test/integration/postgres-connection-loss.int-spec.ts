import { Client } from 'pg';
import { createTask, mintStreamToken } from '../factories/tasks';
import {
  createTestDatabase,
  POSTGRES_SERVER_URL,
  type TestDatabase,
} from '../utils/postgres-test-database';
import {
  openStream,
  reassembledText,
  type ReceivedEvent,
  type SseConnection,
} from '../utils/sse-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { startTestWorker, type TestWorker } from '../utils/test-worker';
import { userToken } from '../utils/tokens';
import { chunk, postWebhookWithHeaders } from '../utils/webhook-client';

type Answer = Awaited<ReturnType<typeof postWebhookWithHeaders>>;
interface A2aReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

const alice = userToken({ sub: 'alice', orgs: ['acme'] });
const TASKS = 4;
const CHUNKS_PER_TASK = 60;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** How long a worker keeps posting one event, and a browser reconnecting, before the test fails. */
const PATIENCE_MS = 30_000;

/**
 * A worker's loop for one event: post, and on anything but a 2xx post the same event again (the
 * webhook contract). Calls `onStored` once it is stored; returns every answer that was not a 2xx.
 */
async function postUntilStored(
  baseUrl: string,
  event: object,
  onStored: () => void = () => undefined,
): Promise<Answer[]> {
  const refused: Answer[] = [];
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline) {
    const reply = await postWebhookWithHeaders(baseUrl, event);
    if (reply.status >= 200 && reply.status < 300) {
      onStored();
      return refused;
    }
    refused.push(reply);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`not stored after ${refused.length} attempts: ${JSON.stringify(refused.at(-1))}`);
}

/**
 * An A2A client reading the tasks over both bindings until `stop()`: GetTask over JSON-RPC and
 * GET /tasks/{id} over HTTP+JSON, in turn. Returns every answer that was not a 200.
 */
async function readOverA2a(
  baseUrl: string,
  taskIds: string[],
  reading: () => boolean,
): Promise<A2aReply[]> {
  const refused: A2aReply[] = [];
  const headers = { 'a2a-version': '1.0', authorization: `Bearer ${alice}` };
  const base = `${baseUrl}/agent-to-agent/acme/writer`;
  for (let i = 0; reading(); i++) {
    const id = taskIds[i % taskIds.length];
    const rpc = { jsonrpc: '2.0', id: i, method: 'GetTask', params: { id } };
    const response =
      i % 2 === 0
        ? await fetch(base, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(rpc),
          })
        : await fetch(`${base}/tasks/${id}`, { headers });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200)
      refused.push({ status: response.status, headers: response.headers, body });
  }
  return refused;
}

const completed = (event: ReceivedEvent): boolean =>
  event.event === 'status-update' &&
  (event.data as { statusUpdate: { status: { state: string } } }).statusUpdate.status.state ===
    'TASK_STATE_COMPLETED';

/**
 * A browser's stream: whenever it ends before the task has completed, it is opened again from the
 * last event received (Last-Event-ID), as EventSource does. EventSource would stop for good on a
 * refusal (any status but 200); this one records the status and goes on, so that the test can
 * tell. Resolves with every event received over all its connections, and the refusals.
 */
async function followToCompletion(
  url: string,
  live: SseConnection[],
): Promise<{ events: ReceivedEvent[]; refusals: number[] }> {
  const events: ReceivedEvent[] = [];
  const refusals: number[] = [];
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline) {
    const stream = openStream(url, { lastEventId: events.at(-1)?.id });
    live.push(stream);
    await stream.closed;
    events.push(...stream.events);
    if (stream.refusedWith !== undefined) refusals.push(stream.refusedWith);
    if (events.some(completed)) return { events, refusals };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the stream did not complete: ${events.length} events`);
}

// PostgreSQL closing the gateway's connections while workers post and A2A clients read (a restart,
// a failover, an administrator's pg_terminate_backend): a request whose statement was cut off
// cannot know whether it was stored, so it is answered 503 and the worker retries it; the gateway stays up, and every
// stream still carries every chunk once, in order, including those of a commit that went through
// just before its connection was cut (stored, but never published live). A stream that cannot
// be opened meanwhile is deferred with an empty 200, never refused, so browsers keep reconnecting.
describe('PostgreSQL dropping the gateway’s connections while workers post', () => {
  let database: TestDatabase;
  let admin: Client;
  let worker: TestWorker;
  let app: TestApp;
  const streams: SseConnection[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('a2a_connloss');
    admin = await connect(POSTGRES_SERVER_URL);
    worker = await startTestWorker();
    app = await startTestApp({
      STORAGE_DRIVER: 'postgres',
      DATABASE_URL: database.url,
      AGENTS_FILE: worker.agentsFile,
    });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await app?.close();
    await worker?.close();
    await admin?.end();
    await database?.drop();
  });

  it('answers cut-off requests 503, defers streams, stays up, and streams every chunk once and in order', async () => {
    const tasks = await Promise.all(
      Array.from({ length: TASKS }, () => createTask(app.baseUrl, alice, 'acme', 'writer', 'go')),
    );
    // Before the connections are cut: a browser app gets its stream URL once.
    const streamUrls = await Promise.all(
      tasks.map(
        async (task) =>
          (await mintStreamToken(app.baseUrl, alice, 'acme', 'writer', task.id)).streamUrl,
      ),
    );
    const followers = Promise.all(
      streamUrls.map((url) => followToCompletion(`${app.baseUrl}${url}`, streams)),
    );

    let posting = true;
    let terminated = 0;
    // Cuts the connections every 15 ms, but only once some event was stored since the last cut:
    // on a loaded machine a request can take longer than 15 ms, and cutting on a fixed clock alone
    // could then refuse every attempt and prove nothing.
    let stored = 0;
    const killer = (async () => {
      let storedAtLastCut = -1;
      while (posting) {
        if (stored === storedAtLastCut) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        storedAtLastCut = stored;
        const result = await admin.query<{ killed: boolean }>(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database.name],
        );
        terminated += result.rows.filter((r) => r.killed).length;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    const words = (t: number) =>
      Array.from({ length: CHUNKS_PER_TASK }, (_, i) => `t${t}w${i + 1} `);
    let refused: Answer[] = [];
    const a2aRefusals = readOverA2a(
      app.baseUrl,
      tasks.map((t) => t.id),
      () => posting,
    );
    try {
      const perTask = await Promise.all(
        tasks.map(async (task, t) => {
          const answers: Answer[] = [];
          for (const [i, word] of words(t).entries())
            answers.push(
              ...(await postUntilStored(app.baseUrl, chunk(task.id, i + 1, word), () => stored++)),
            );
          return answers;
        }),
      );
      refused = perTask.flat();
    } finally {
      posting = false;
      await killer;
    }

    // The connections were really cut, more than once, while the workers posted.
    expect(terminated).toBeGreaterThan(1);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) {
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      expect(reply.headers.get('retry-after')).toBe('1');
    }

    // A2A clients get the same answer, in each binding's own shape.
    const a2aRefused = await a2aRefusals;
    expect(a2aRefused.length).toBeGreaterThan(0);
    for (const reply of a2aRefused) {
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body).toMatchObject(
        'jsonrpc' in reply.body
          ? { error: { code: -31503, data: [{ reason: 'UNAVAILABLE' }] } }
          : { error: { code: 503, status: 'UNAVAILABLE' } },
      );
    }

    for (const task of tasks) {
      const done = {
        task_id: task.id,
        sequence: CHUNKS_PER_TASK + 1,
        type: 'status',
        state: 'TASK_STATE_COMPLETED',
      };
      await postUntilStored(app.baseUrl, done);
    }
    for (const [t, { events, refusals }] of (await followers).entries()) {
      // A browser's EventSource stops for good on any status but 200: no open was refused.
      expect(refusals).toEqual([]);
      const ids = events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(reassembledText(events)).toBe(words(t).join(''));
    }
    expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
  });
});

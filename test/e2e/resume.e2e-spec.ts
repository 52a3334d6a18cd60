import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTask, mintStreamToken, streamUrlOf } from '../factories/tasks';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { bodyChunks, rawGet } from '../utils/chunked-response';
import { expectEventually } from '../utils/expect-eventually';
import { openStream, reassembledText, type ReceivedEvent } from '../utils/sse-client';
import { startTestApp } from '../utils/test-app';
import { startTestWorker, type TestWorker } from '../utils/test-worker';
import { userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });

async function postChunks(
  baseUrl: string,
  taskId: string,
  from: number,
  to: number,
): Promise<void> {
  for (let sequence = from; sequence <= to; sequence++) {
    const reply = await postWebhook(baseUrl, chunk(taskId, sequence, `c${sequence} `));
    expect(reply.status).toBe(200);
  }
}

async function complete(baseUrl: string, taskId: string, sequence: number): Promise<void> {
  const reply = await postWebhook(baseUrl, {
    task_id: taskId,
    sequence,
    type: 'status',
    state: 'TASK_STATE_COMPLETED',
  });
  expect(reply.status).toBe(200);
}

function ids(events: ReceivedEvent[]): number[] {
  return events.map((e) => e.id);
}

describe('resuming a stream with Last-Event-ID', () => {
  const setup = useGatewayWithWorker({ SSE_KEEPALIVE_MS: '100' });

  it('gets exactly the events after the given id, none repeated', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    await postChunks(setup.gateway.baseUrl, task.id, 1, 5);

    const first = openStream(streamUrl);
    await expectEventually(() => expect(first.events).toHaveLength(6));
    first.close();
    expect(ids(first.events)).toEqual([1, 2, 3, 4, 5, 6]);

    await postChunks(setup.gateway.baseUrl, task.id, 6, 10);
    await complete(setup.gateway.baseUrl, task.id, 11);
    const second = openStream(streamUrl, { lastEventId: 6 });
    await second.closed;
    expect(ids(second.events)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(reassembledText([...first.events, ...second.events])).toBe(
      'c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 ',
    );
  });

  it('sends the events a resumed stream missed in one write', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    await postChunks(setup.gateway.baseUrl, task.id, 1, 10);
    await complete(setup.gateway.baseUrl, task.id, 11);
    const raw = await rawGet(streamUrl, { 'last-event-id': '2' });
    const withEvents = bodyChunks(raw).filter((chunk) => chunk.includes('\nevent: '));
    expect(withEvents).toHaveLength(1);
    const sent = [...withEvents[0].matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(sent).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('loses and repeats nothing when the client drops mid-stream while the worker keeps writing', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    const writing = (async () => {
      for (let sequence = 1; sequence <= 60; sequence++) {
        await postChunks(setup.gateway.baseUrl, task.id, sequence, sequence);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await complete(setup.gateway.baseUrl, task.id, 61);
    })();

    const received: ReceivedEvent[] = [];
    let lastEventId: number | undefined;
    // Three connections, each cut after a few events, then one that runs to the end.
    for (let round = 0; round < 3; round++) {
      const connection = openStream(streamUrl, { lastEventId });
      await expectEventually(() => expect(connection.events.length).toBeGreaterThanOrEqual(5));
      connection.close();
      received.push(...connection.events);
      lastEventId = connection.events[connection.events.length - 1].id;
    }
    await writing;
    const last = openStream(streamUrl, { lastEventId });
    await last.closed;
    received.push(...last.events);

    expect(ids(received)).toEqual(Array.from({ length: 62 }, (_, i) => i + 1));
    expect(reassembledText(received)).toBe(
      Array.from({ length: 60 }, (_, i) => `c${i + 1} `).join(''),
    );
  });

  it('keeps an idle stream alive with comment lines', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'quiet');
    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    const response = await fetch(streamUrl);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const until = Date.now() + 450;
    while (Date.now() < until) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(text.startsWith('retry: 2000\n\nid: 1\nevent: status-update\n')).toBe(true);
    expect(text.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(2);
  });

  it('answers 204 to a reconnect that already has the terminal event', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    await complete(setup.gateway.baseUrl, task.id, 1);
    const response = await fetch(streamUrl, {
      headers: { 'last-event-id': '2' },
    });
    expect(response.status).toBe(204);
    const viaQuery = await fetch(`${streamUrl}&lastEventId=1`);
    expect(viaQuery.status).toBe(200);
    expect(await viaQuery.text()).toContain('id: 2\nevent: status-update\n');
  });
});

describe('resuming across a gateway restart on file-backed PGlite', () => {
  let worker: TestWorker;
  let dataDir: string;

  beforeAll(async () => {
    worker = await startTestWorker();
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-pglite-'));
  });
  afterAll(async () => {
    await worker.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the log and its ids, and the reconnect gets exactly what it missed', async () => {
    const settings = { AGENTS_FILE: worker.agentsFile, PGLITE_DATA_DIR: dataDir };
    const before = await startTestApp(settings);
    const task = await createTask(before.baseUrl, alice, 'acme', 'writer', 'go');
    const { token } = await mintStreamToken(before.baseUrl, alice, 'acme', 'writer', task.id);
    const path = `/agent-to-agent/acme/writer/tasks/${task.id}/stream?token=${token}`;
    await postChunks(before.baseUrl, task.id, 1, 4);
    const first = openStream(`${before.baseUrl}${path}`);
    await expectEventually(() => expect(first.events).toHaveLength(5));
    await before.close();
    await first.closed;

    const after = await startTestApp(settings);
    try {
      // A worker retrying a sequence the old process stored gets a duplicate, not a second copy.
      expect((await postWebhook(after.baseUrl, chunk(task.id, 4, 'c4 '))).body).toEqual({
        task_id: task.id,
        sequence: 4,
        status: 'duplicate',
      });
      await postChunks(after.baseUrl, task.id, 5, 7);
      await complete(after.baseUrl, task.id, 8);
      const second = openStream(`${after.baseUrl}${path}`, { lastEventId: 5 });
      await second.closed;
      expect(ids(first.events)).toEqual([1, 2, 3, 4, 5]);
      expect(ids(second.events)).toEqual([6, 7, 8, 9]);
      expect(reassembledText([...first.events, ...second.events])).toBe('c1 c2 c3 c4 c5 c6 c7 ');
    } finally {
      await after.close();
    }
  });
});

import { createTask, mintStreamToken } from '../factories/tasks';
import { createTestDatabase, type TestDatabase } from '../utils/postgres-test-database';
import { openStream, reassembledText } from '../utils/sse-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { startTestWorker, type TestWorker } from '../utils/test-worker';
import { userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const BUSES = {
  redis: { BUS_DRIVER: 'redis', REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  nats: { BUS_DRIVER: 'nats', NATS_URL: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222' },
};
const alice = userToken({ sub: 'alice', orgs: ['acme'] });

// Two gateway instances on one PostgreSQL database and one bus: whichever instance a worker's
// request or a browser's stream lands on, every watcher gets every event once, in order.
describe.each(Object.entries(BUSES))('two instances over the %s bus', (_name, bus) => {
  let database: TestDatabase;
  let worker: TestWorker;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('a2a_instances');
    worker = await startTestWorker();
    const settings = {
      ...bus,
      STORAGE_DRIVER: 'postgres',
      DATABASE_URL: database.url,
      AGENTS_FILE: worker.agentsFile,
    };
    [a, b] = await Promise.all([startTestApp(settings), startTestApp(settings)]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await worker?.close();
    await database?.drop();
  });

  it('reports the bus ready on both', async () => {
    for (const instance of [a, b]) {
      const ready = (await (await fetch(`${instance.baseUrl}/health/ready`)).json()) as {
        info: { bus: unknown };
      };
      expect(ready.info.bus).toEqual({ status: 'up' });
    }
  });

  it('streams from either instance what the worker posted to both', async () => {
    const task = await createTask(a.baseUrl, alice, 'acme', 'writer', 'go');
    const { streamUrl } = await mintStreamToken(a.baseUrl, alice, 'acme', 'writer', task.id);
    const onB = openStream(`${b.baseUrl}${streamUrl}`);
    const onA = openStream(`${a.baseUrl}${streamUrl}`);
    const words = Array.from({ length: 40 }, (_, i) => `w${i + 1} `);
    for (const [i, word] of words.entries()) {
      const instance = i % 2 === 0 ? a : b;
      expect((await postWebhook(instance.baseUrl, chunk(task.id, i + 1, word))).status).toBe(200);
    }
    const done = {
      task_id: task.id,
      sequence: words.length + 1,
      type: 'status',
      state: 'TASK_STATE_COMPLETED',
    };
    expect((await postWebhook(b.baseUrl, done)).status).toBe(200);
    await Promise.all([onA.closed, onB.closed]);
    for (const stream of [onA, onB]) {
      expect(stream.events.map((e) => e.id)).toEqual(
        Array.from({ length: words.length + 2 }, (_, i) => i + 1),
      );
      expect(reassembledText(stream.events)).toBe(words.join(''));
    }
  });
});

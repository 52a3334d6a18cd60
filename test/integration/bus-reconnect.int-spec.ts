import { createTask, mintStreamToken } from '../factories/tasks';
import { expectEventually } from '../utils/expect-eventually';
import { createTestDatabase, type TestDatabase } from '../utils/postgres-test-database';
import { openStream, reassembledText } from '../utils/sse-client';
import { startTcpProxy, type TcpProxy } from '../utils/tcp-proxy';
import { startTestApp, type TestApp } from '../utils/test-app';
import { startTestWorker, type TestWorker } from '../utils/test-worker';
import { userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const alice = userToken({ sub: 'alice', orgs: ['acme'] });

const BUSES = {
  redis: { driver: 'redis', setting: 'REDIS_URL', url: REDIS_URL },
  nats: { driver: 'nats', setting: 'NATS_URL', url: NATS_URL },
};

/** The bus URL with its port replaced by the proxy's. */
function through(proxy: TcpProxy, url: string): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}

// One instance's connection to the broker drops while instance A stores a task's last events:
// pub/sub loses what was published meanwhile. If it was B's (the one streaming), B must look in
// the store once it is back; if it was A's (the one storing), A must still acknowledge at once and
// tell B to look once it is back. Otherwise a stream on B whose task got its last events in that
// window waits for an event that never comes.
describe.each(Object.entries(BUSES))('an instance whose %s connection drops', (_name, bus) => {
  let database: TestDatabase;
  let worker: TestWorker;
  const proxies: Record<'a' | 'b', TcpProxy> = {} as Record<'a' | 'b', TcpProxy>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('a2a_busdrop');
    worker = await startTestWorker();
    const settings = {
      STORAGE_DRIVER: 'postgres',
      DATABASE_URL: database.url,
      AGENTS_FILE: worker.agentsFile,
      BUS_DRIVER: bus.driver,
    };
    for (const name of ['a', 'b'] as const)
      proxies[name] = await startTcpProxy(Number(new URL(bus.url).port));
    a = await startTestApp({ ...settings, [bus.setting]: through(proxies.a, bus.url) });
    b = await startTestApp({ ...settings, [bus.setting]: through(proxies.b, bus.url) });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
    await worker?.close();
    await database?.drop();
  });

  it.each([
    ['the streaming instance (B)', 'b'],
    ['the storing instance (A)', 'a'],
  ] as const)(
    'when it is %s, the stream on B still gets the last events and ends',
    async (_who, cut) => {
      const task = await createTask(a.baseUrl, alice, 'acme', 'writer', 'go');
      const { streamUrl } = await mintStreamToken(a.baseUrl, alice, 'acme', 'writer', task.id);
      const onB = openStream(`${b.baseUrl}${streamUrl}`);
      try {
        expect((await postWebhook(a.baseUrl, chunk(task.id, 1, 'before '))).status).toBe(200);
        await expectEventually(() => expect(reassembledText(onB.events)).toBe('before '));

        proxies[cut].cut();
        expect((await postWebhook(a.baseUrl, chunk(task.id, 2, 'during '))).status).toBe(200);
        const done = {
          task_id: task.id,
          sequence: 3,
          type: 'status',
          state: 'TASK_STATE_COMPLETED',
        };
        expect((await postWebhook(a.baseUrl, done)).status).toBe(200);
        // Long enough for the broker to have handed on whatever reached it.
        await new Promise((resolve) => setTimeout(resolve, 200));
        proxies[cut].restore();

        // Both clients retry within about two seconds.
        await expectEventually(
          () => expect(onB.events.at(-1)?.event).toBe('status-update'),
          15_000,
        );
        expect(reassembledText(onB.events)).toBe('before during ');
        await onB.closed;
      } finally {
        onB.close();
      }
    },
  );
});

import { request } from 'node:http';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type InMemoryTaskEventBus } from '../../src/modules/bus/in-memory-task-event-bus';
import { TaskEventBus } from '../../src/modules/bus/task-event-bus';
import { Metrics } from '../../src/modules/metrics/metrics';
import { StreamHub } from '../../src/modules/streaming/stream-hub';
import { createTask, mintStreamToken } from '../factories/tasks';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { expectEventually } from '../utils/expect-eventually';
import { userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });

/**
 * Opens the stream, waits for its first event (the server has attached it and replayed history),
 * then drops the socket.
 */
function connectAndDrop(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      let received = '';
      res.on('data', (part: Buffer) => {
        received += part.toString();
        if (!/^id: /m.test(received)) return;
        req.destroy();
        resolve();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve() : reject(error),
    );
    req.end();
  });
}

describe('stream resources', () => {
  const setup = useGatewayWithWorker();

  it('leaves no subscriber and no listener behind after 1,000 connect/disconnect cycles', async () => {
    const hub = setup.gateway.app.get(StreamHub);
    const bus = setup.gateway.app.get<TaskEventBus, InMemoryTaskEventBus>(TaskEventBus);
    const emitter = setup.gateway.app.get(EventEmitter2);
    const gauge = setup.gateway.app.get(Metrics).activeStreams;
    const tasks = await Promise.all(
      [1, 2, 3, 4].map((n) => createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', `t${n}`)),
    );
    const urls = await Promise.all(
      tasks.map(
        async (t) =>
          `${setup.gateway.baseUrl}${(await mintStreamToken(setup.gateway.baseUrl, alice, 'acme', 'writer', t.id)).streamUrl}`,
      ),
    );
    const before = {
      bus: bus.listenerCount,
      emitter: emitter.listenerCount(),
      gauge: (await gauge.get()).values[0]?.value ?? 0,
    };

    let next = 0;
    const lanes = Array.from({ length: 25 }, async () => {
      for (let i = next++; i < 1000; i = next++) {
        await connectAndDrop(urls[i % urls.length]);
        // Live events arrive while connections come and go, so fan-out runs against closing streams too.
        if (i % 100 === 0)
          await postWebhook(setup.gateway.baseUrl, chunk(tasks[0].id, i / 100 + 1, `${i}`));
      }
    });
    await Promise.all(lanes);

    await expectEventually(() => {
      expect(hub.subscriberCount).toBe(0);
      expect(hub.taskCount).toBe(0);
    });
    expect(bus.listenerCount).toBe(before.bus);
    expect(emitter.listenerCount()).toBe(before.emitter);
    expect((await gauge.get()).values[0]?.value ?? 0).toBe(before.gauge);
    const delivered =
      (await setup.gateway.app.get(Metrics).eventsDelivered.get()).values[0]?.value ?? 0;
    expect(delivered).toBeGreaterThanOrEqual(1000);
  });
});

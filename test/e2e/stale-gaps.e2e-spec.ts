import { TaskMessagesRepository } from '../../src/modules/task-messages/task-messages.repository';
import { TaskMessagesService } from '../../src/modules/task-messages/task-messages.service';
import { createTask, streamUrlOf } from '../factories/tasks';
import { expectEventually } from '../utils/expect-eventually';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { ManualClock } from '../utils/manual-clock';
import { openStream, reassembledText } from '../utils/sse-client';
import { bearer, userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });
const WINDOW_MS = 2000;

describe('an early event left waiting by an instance that stopped', () => {
  const clock = new ManualClock();
  const setup = useGatewayWithWorker({ WEBHOOK_REORDER_WINDOW_MS: String(WINDOW_MS) }, { clock });

  const post = (taskId: string, sequence: number, text: string) =>
    postWebhook(setup.gateway.baseUrl, chunk(taskId, sequence, text), {
      timestamp: clock.now().getTime().toString(),
    });

  it('is given its id by the next sweep once its window is over, and its gap stays closed', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
    expect((await post(task.id, 1, 'a')).status).toBe(200);
    // Sequence 3 stored and acknowledged by another instance, which stopped before its reorder
    // timer fired: written straight to the shared store, so no timer here knows of it.
    const stored = await setup.gateway.app.get(TaskMessagesRepository).appendBatch(
      [
        {
          kind: 'worker',
          event: { taskId: task.id, sequence: 3, type: 'chunk', chunk: 'c', artifactId: 'a1' },
        },
      ],
      clock.now(),
    );
    expect(stored.outcomes).toEqual([{ ok: true, status: 'stored' }]);

    const url = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    const stream = openStream(url, { lastEventId: 1 });
    await expectEventually(() => expect(stream.events.map((e) => e.id)).toEqual([2]));

    const messages = setup.gateway.app.get(TaskMessagesService);
    expect(await messages.closeStaleGaps()).toBe(0); // still inside its window
    clock.advance(WINDOW_MS + 1);
    expect(await messages.closeStaleGaps()).toBe(1);
    await expectEventually(() => expect(stream.events.map((e) => e.id)).toEqual([2, 3]));
    expect(reassembledText(stream.events)).toBe('ac');
    expect(await messages.closeStaleGaps()).toBe(0);

    const late = await post(task.id, 2, 'b');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { code: 'SEQUENCE_SKIPPED' } });
    stream.close();

    const reread = await fetch(
      `${setup.gateway.baseUrl}/agent-to-agent/acme/writer/tasks/${task.id}/messages?after=0`,
      { headers: bearer(alice) },
    );
    const { events } = (await reread.json()) as { events: { id: number }[] };
    expect(events.map((e) => e.id)).toEqual([1, 2, 3]);
  });
});

import type { Task } from '../../libs/contracts/src';
import { TaskMessagesPruner } from '../../src/modules/task-messages/task-messages.pruner';
import { createTask, streamUrlOf } from '../factories/tasks';
import { expectEventually } from '../utils/expect-eventually';
import { ManualClock } from '../utils/manual-clock';
import { openStream, reassembledText } from '../utils/sse-client';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { bearer, userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });
const MINUTE = 60_000;

interface Polled {
  events: { id: number; event: string }[];
  task: Task;
  missed: boolean;
}

describe('the pruner and the snapshot that replaces pruned history', () => {
  const clock = new ManualClock();

  const post = async (taskId: string, sequence: number, text: string): Promise<void> => {
    const reply = await postWebhook(setup.gateway.baseUrl, chunk(taskId, sequence, text), {
      timestamp: clock.now().getTime().toString(),
    });
    expect(reply.status).toBe(200);
  };

  const poll = async (taskId: string, after: number): Promise<Polled> => {
    const url = `${setup.gateway.baseUrl}/agent-to-agent/acme/writer/tasks/${taskId}/messages?after=${after}`;
    return (await (await fetch(url, { headers: bearer(alice) })).json()) as Polled;
  };

  const setup = useGatewayWithWorker({ TASK_MESSAGE_TTL_MINUTES: '60' }, { clock });

  it('deletes exactly the expired rows, keeps the task, and sends a task snapshot first', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go'); // event 1: submitted
    await post(task.id, 1, 'old-1 '); // events 2..4 stored now
    await post(task.id, 2, 'old-2 ');
    await post(task.id, 3, 'old-3 ');
    clock.advance(30 * MINUTE);
    await post(task.id, 4, 'new-4 '); // events 5..6 stored 30 minutes later
    await post(task.id, 5, 'new-5 ');
    const other = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'untouched'); // fresh, not expired

    clock.advance(31 * MINUTE); // the first four events are 61 minutes old, the rest 31
    const pruner = setup.gateway.app.get(TaskMessagesPruner);
    expect(await pruner.pruneExpired()).toBe(4);
    expect(await pruner.pruneExpired()).toBe(0);

    const left = await poll(task.id, 0);
    expect(left.events.map((e) => e.id)).toEqual([5, 6]);
    expect(left.missed).toBe(true);
    expect(left.task.artifacts).toEqual([
      { artifactId: 'a1', parts: [{ text: 'old-1 old-2 old-3 new-4 new-5 ' }] },
    ]);
    expect((await poll(other.id, 0)).events.map((e) => e.id)).toEqual([1]);

    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    const stream = openStream(streamUrl, { lastEventId: 2 });
    await expectEventually(() => expect(stream.events).toHaveLength(1));
    await post(task.id, 6, 'live-6');
    await expectEventually(() => expect(stream.events).toHaveLength(2));
    stream.close();

    const [snapshot, live] = stream.events;
    expect(snapshot.event).toBe('task');
    expect(snapshot.id).toBe(6);
    const snapshotTask = (snapshot.data as { task: Task }).task;
    expect(snapshotTask.id).toBe(task.id);
    expect(snapshotTask.artifacts[0].parts[0].text).toBe('old-1 old-2 old-3 new-4 new-5 ');
    expect(live.id).toBe(7);
    expect(reassembledText([live])).toBe('live-6');
  });

  it('streams stored history without a snapshot when nothing the client lacks was pruned', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
    await post(task.id, 1, 'a ');
    clock.advance(61 * MINUTE);
    await post(task.id, 2, 'b ');
    await setup.gateway.app.get(TaskMessagesPruner).pruneExpired();
    const streamUrl = await streamUrlOf(setup.gateway.baseUrl, alice, 'acme', 'writer', task.id);
    const stream = openStream(streamUrl, { lastEventId: 2 });
    await expectEventually(() => expect(stream.events).toHaveLength(1));
    stream.close();
    expect(stream.events.map((e) => [e.id, e.event])).toEqual([[3, 'artifact-update']]);
  });
});

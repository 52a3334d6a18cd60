import { StreamResponse, Task } from '@a2a-js/sdk';
import type { Task as GatewayTask } from '../../libs/contracts/src';
import { createTask, mintStreamToken } from '../factories/tasks';
import { openStream, reassembledText } from '../utils/sse-client';
import { bearer, userToken } from '../utils/tokens';
import { chunk, status } from '../utils/webhook-client';
import {
  collect,
  interfaceUrl,
  textMessage,
  useA2aGateway,
  v03Client,
  v1Client,
} from './a2a-support';

describe('A2A and the REST/SSE API are views of the same tasks and event log', () => {
  const setup = useA2aGateway();
  const { workerSays } = setup;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  it('a task started over A2A streams to a browser’s EventSource with a stream token', async () => {
    const text = 'Started by an agent, watched by a person in a browser.';
    const client = await v1Client(setup.baseUrl, alice, 'acme', 'echo');
    const sent = (await client.sendMessage(textMessage(text, { returnImmediately: true }))) as Task;

    const { streamUrl } = await mintStreamToken(setup.baseUrl, alice, 'acme', 'echo', sent.id);
    expect(streamUrl).toContain('?token=');
    const browser = openStream(`${setup.baseUrl}${streamUrl}`);
    await browser.closed;

    const ids = browser.events.map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(browser.events[0]).toMatchObject({
      event: 'status-update',
      data: { statusUpdate: { taskId: sent.id, status: { state: 'TASK_STATE_SUBMITTED' } } },
    });
    expect(reassembledText(browser.events)).toBe(text);
    expect(browser.events[browser.events.length - 1].data).toMatchObject({
      statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } },
    });

    // And the A2A view of it is the REST view of it.
    const rest = (await (
      await fetch(`${interfaceUrl(setup.baseUrl, 'acme', 'echo')}/tasks/${sent.id}`, {
        headers: bearer(alice),
      })
    ).json()) as GatewayTask;
    const viaA2a = await client.getTask({ tenant: '', id: sent.id });
    expect(Task.toJSON(viaA2a)).toEqual(Task.toJSON(Task.fromJSON(rest)));
  });

  it('a task created over REST is subscribed to over A2A, 1.0 and 0.3: the Task first, then the rest', async () => {
    const task = await createTask(setup.baseUrl, alice, 'acme', 'scripted', 'made over REST');
    await workerSays(status(task.id, 1, 'TASK_STATE_WORKING'), chunk(task.id, 2, 'part one, '));

    const v1 = (await v1Client(setup.baseUrl, alice, 'acme', 'scripted')).resubscribeTask({
      tenant: '',
      id: task.id,
    });
    const v03 = (await v03Client(setup.baseUrl, alice, 'acme', 'scripted')).resubscribeTask({
      id: task.id,
    });
    const v1Stream = v1[Symbol.asyncIterator]();
    const v03Stream = v03[Symbol.asyncIterator]();
    expect(StreamResponse.toJSON((await v1Stream.next()).value as StreamResponse)).toMatchObject({
      task: {
        id: task.id,
        status: { state: 'TASK_STATE_WORKING' },
        artifacts: [{ artifactId: 'a1', parts: [{ text: 'part one, ' }] }],
        history: [{ role: 'ROLE_USER', parts: [{ text: 'made over REST' }] }],
      },
    });
    expect((await v03Stream.next()).value).toMatchObject({
      kind: 'task',
      id: task.id,
      status: { state: 'working' },
      artifacts: [{ artifactId: 'a1', parts: [{ kind: 'text', text: 'part one, ' }] }],
    });

    await workerSays(
      chunk(task.id, 3, 'part two', { is_last: true }),
      status(task.id, 4, 'TASK_STATE_COMPLETED'),
    );

    const v1Rest = (await collect({ [Symbol.asyncIterator]: () => v1Stream })).map((e) =>
      StreamResponse.toJSON(e),
    );
    expect(v1Rest).toMatchObject([
      {
        artifactUpdate: {
          artifact: { parts: [{ text: 'part two' }] },
          append: true,
          lastChunk: true,
        },
      },
      { statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } },
    ]);
    expect(await collect({ [Symbol.asyncIterator]: () => v03Stream })).toMatchObject([
      { kind: 'artifact-update', artifact: { parts: [{ kind: 'text', text: 'part two' }] } },
      { kind: 'status-update', status: { state: 'completed' }, final: true },
    ]);
  });
});

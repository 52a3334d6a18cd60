import { randomUUID } from 'node:crypto';
import { SendMessageRequest, StreamResponse, Task } from '@a2a-js/sdk';
import type { Task as GatewayTask } from '../../libs/contracts/src';
import { createTask, mintStreamToken } from '../factories/tasks';
import { openStream, reassembledText } from '../utils/sse-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';
import {
  agentsFile,
  collect,
  interfaceUrl,
  type ScriptedWorker,
  startScriptedWorker,
  v03Client,
  v1Client,
} from './a2a-support';

describe('A2A and the REST/SSE API are views of the same tasks and event log', () => {
  let gateway: TestApp;
  let worker: ScriptedWorker;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    worker = await startScriptedWorker();
    gateway = await startTestApp({
      AGENTS_FILE: agentsFile('acme', 'scripted', `${worker.url}/tasks`),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await worker.close();
  });

  it('a task started over A2A streams to a browser’s EventSource with a stream token', async () => {
    const text = 'Started by an agent, watched by a person in a browser.';
    const client = await v1Client(gateway.baseUrl, alice, 'acme', 'echo');
    const sent = (await client.sendMessage(
      SendMessageRequest.fromJSON({
        message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
        configuration: { returnImmediately: true },
      }),
    )) as Task;

    const { streamUrl } = await mintStreamToken(gateway.baseUrl, alice, 'acme', 'echo', sent.id);
    expect(streamUrl).toContain('?token=');
    const browser = openStream(`${gateway.baseUrl}${streamUrl}`);
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
      await fetch(`${interfaceUrl(gateway.baseUrl, 'acme', 'echo')}/tasks/${sent.id}`, {
        headers: bearer(alice),
      })
    ).json()) as GatewayTask;
    const viaA2a = await client.getTask({ tenant: '', id: sent.id });
    expect(Task.toJSON(viaA2a)).toEqual(Task.toJSON(Task.fromJSON(rest)));
  });

  it('a task created over REST is subscribed to over A2A, 1.0 and 0.3: the Task first, then the rest', async () => {
    const task = await createTask(gateway.baseUrl, alice, 'acme', 'scripted', 'made over REST');
    for (const event of [
      { task_id: task.id, sequence: 1, type: 'status' as const, state: 'TASK_STATE_WORKING' },
      chunk(task.id, 2, 'part one, '),
    ])
      expect((await postWebhook(gateway.baseUrl, event)).status).toBe(200);

    const v1 = (await v1Client(gateway.baseUrl, alice, 'acme', 'scripted')).resubscribeTask({
      tenant: '',
      id: task.id,
    });
    const v03 = (await v03Client(gateway.baseUrl, alice, 'acme', 'scripted')).resubscribeTask({
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

    for (const event of [
      chunk(task.id, 3, 'part two', { is_last: true }),
      { task_id: task.id, sequence: 4, type: 'status' as const, state: 'TASK_STATE_COMPLETED' },
    ])
      expect((await postWebhook(gateway.baseUrl, event)).status).toBe(200);

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

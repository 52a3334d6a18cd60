import { randomUUID } from 'node:crypto';
import type { MessageSendParams } from 'a2a-sdk-v03';
import type { Client } from 'a2a-sdk-v03/client';
import { bearer, userToken } from '../utils/tokens';
import { chunk, status } from '../utils/webhook-client';
import { collect, interfaceUrl, postRpc, useA2aGateway, v03Client } from './a2a-support';

function send(text: string, configuration?: MessageSendParams['configuration']): MessageSendParams {
  return {
    message: {
      kind: 'message',
      messageId: randomUUID(),
      role: 'user',
      parts: [{ kind: 'text', text }],
    },
    ...(configuration ? { configuration } : {}),
  };
}

describe('A2A 0.3 compatibility, driven by the official @a2a-js/sdk 0.3.x client', () => {
  const setup = useA2aGateway({ A2A_PUSH_ALLOWED_HOSTS: '127.0.0.1' });
  const { workerSays } = setup;
  let echo: Client;
  let scripted: Client;
  let echoUrl: string;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    echo = await v03Client(setup.baseUrl, alice, 'acme', 'echo');
    scripted = await v03Client(setup.baseUrl, alice, 'acme', 'scripted');
    echoUrl = interfaceUrl(setup.baseUrl, 'acme', 'echo');
  });

  async function startScripted(text: string): Promise<string> {
    const task = await scripted.sendMessage(send(text, { blocking: false }));
    expect(task.kind).toBe('task');
    return (task as { id: string }).id;
  }

  it('a request without A2A-Version gets the 0.3 card, which names the 0.3 JSON-RPC interface', async () => {
    const response = await fetch(`${echoUrl}/.well-known/agent-card.json`);
    expect(response.headers.get('vary')).toBe('A2A-Version');
    expect(await response.json()).toMatchObject({
      name: 'echo',
      url: echoUrl,
      preferredTransport: 'JSONRPC',
      protocolVersion: '0.3',
      capabilities: { streaming: true, pushNotifications: true },
      securitySchemes: { bearer: { type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' } },
      security: [{ bearer: [] }],
      skills: [{ id: 'echo', name: 'Echo' }],
    });
    const card = await echo.getAgentCard();
    expect(card.url).toBe(echoUrl);
  });

  it('message/send blocks and answers with the 0.3 Task: kind, lowercase states, kinded parts', async () => {
    const task = await echo.sendMessage(send('hello from the past'));
    expect(task).toMatchObject({
      kind: 'task',
      status: { state: 'completed' },
      artifacts: [{ artifactId: 'echo', parts: [{ kind: 'text', text: 'hello from the past' }] }],
      history: [
        { kind: 'message', role: 'user', parts: [{ kind: 'text', text: 'hello from the past' }] },
      ],
    });
  });

  it('message/stream: the task, then status and artifact updates with `final` on the last, then the end', async () => {
    const events = await collect(echo.sendMessageStream(send('alpha beta gamma')));
    expect(events.map((e) => e.kind)).toEqual([
      'task',
      'status-update',
      'artifact-update',
      'artifact-update',
      'artifact-update',
      'status-update',
    ]);
    expect(events[0]).toMatchObject({ kind: 'task', status: { state: 'submitted' } });
    expect(events[1]).toMatchObject({ status: { state: 'working' }, final: false });
    expect(events.slice(2, 5)).toMatchObject([
      { artifact: { parts: [{ kind: 'text', text: 'alpha ' }] }, append: false, lastChunk: false },
      { artifact: { parts: [{ kind: 'text', text: 'beta ' }] }, append: true, lastChunk: false },
      { artifact: { parts: [{ kind: 'text', text: 'gamma' }] }, append: true, lastChunk: true },
    ]);
    expect(events[5]).toMatchObject({ status: { state: 'completed' }, final: true });
  });

  it('tasks/get and tasks/cancel; canceling a canceled task is -32002 in the 0.3 error shape', async () => {
    const id = await startScripted('cancel me');
    expect(await scripted.getTask({ id })).toMatchObject({
      kind: 'task',
      id,
      status: { state: 'submitted' },
    });
    expect(await scripted.cancelTask({ id })).toMatchObject({ id, status: { state: 'canceled' } });
    await expect(scripted.cancelTask({ id })).rejects.toMatchObject({
      name: 'TaskNotCancelableError',
      errorResponse: { error: { code: -32002, message: expect.any(String) as string } },
    });
    const reply = await postRpc(
      interfaceUrl(setup.baseUrl, 'acme', 'scripted'),
      JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tasks/cancel', params: { id } }),
      bearer(alice),
    );
    expect(reply.body).toEqual({
      jsonrpc: '2.0',
      id: 5,
      error: { code: -32002, message: expect.stringContaining('TASK_STATE_CANCELED') as string },
    });
  });

  it('tasks/resubscribe mid-task: the Task first; input-required ends the stream with final: true', async () => {
    const id = await startScripted('ask me something');
    await workerSays(status(id, 1, 'working'), chunk(id, 2, 'Thinking'));
    const stream = scripted.resubscribeTask({ id })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({
      kind: 'task',
      status: { state: 'working' },
      artifacts: [{ artifactId: 'a1', parts: [{ kind: 'text', text: 'Thinking' }] }],
    });
    await workerSays(status(id, 3, 'input-required', { message: 'Which one?' }));
    const rest = await collect({ [Symbol.asyncIterator]: () => stream });
    expect(rest).toMatchObject([
      {
        kind: 'status-update',
        status: {
          state: 'input-required',
          message: {
            kind: 'message',
            role: 'agent',
            parts: [{ kind: 'text', text: 'Which one?' }],
          },
        },
        final: true,
      },
    ]);
  });

  it('an unknown task is -32001; 1.0 method names and ListTasks do not exist in 0.3 (-32601)', async () => {
    await expect(echo.getTask({ id: randomUUID() })).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
    for (const method of ['GetTask', 'ListTasks']) {
      const reply = await postRpc(
        echoUrl,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} }),
        bearer(alice),
      );
      expect(reply.body).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32601, message: `Method ${method} not found (A2A 0.3)` },
      });
    }
  });

  it('push notification configs: set, get, list, delete; a private address is refused (-32602)', async () => {
    const id = await startScripted('notify me');
    const config = await scripted.setTaskPushNotificationConfig({
      taskId: id,
      pushNotificationConfig: { id: 'hook-1', url: 'http://127.0.0.1:9/hook', token: 'secret-1' },
    });
    expect(config).toEqual({
      taskId: id,
      pushNotificationConfig: { id: 'hook-1', url: 'http://127.0.0.1:9/hook', token: 'secret-1' },
    });
    expect(
      await scripted.getTaskPushNotificationConfig({
        id,
        pushNotificationConfigId: 'hook-1',
      } as never),
    ).toEqual(config);
    expect(await scripted.listTaskPushNotificationConfig({ id })).toEqual([config]);
    await scripted.deleteTaskPushNotificationConfig({ id, pushNotificationConfigId: 'hook-1' });
    expect(await scripted.listTaskPushNotificationConfig({ id })).toEqual([]);

    await expect(
      scripted.setTaskPushNotificationConfig({
        taskId: id,
        pushNotificationConfig: { url: 'http://10.1.2.3/hook' },
      }),
    ).rejects.toMatchObject({
      errorResponse: {
        error: { code: -32602, message: expect.stringContaining('10.1.2.3') as string },
      },
    });
  });
});

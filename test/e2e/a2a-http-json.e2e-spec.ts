import { randomUUID } from 'node:crypto';
import { ListTasksRequest, StreamResponse, Task, TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { bearer, userToken } from '../utils/tokens';
import { chunk, status } from '../utils/webhook-client';
import { collect, interfaceUrl, textMessage, useA2aGateway, v1Client } from './a2a-support';

describe('A2A 1.0 HTTP+JSON binding, driven by the official @a2a-js/sdk 1.x client', () => {
  const setup = useA2aGateway({ A2A_PUSH_ALLOWED_HOSTS: '127.0.0.1' });
  const { workerSays } = setup;
  let echo: Client;
  let scripted: Client;
  let echoUrl: string;
  let scriptedUrl: string;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });
  const a2a = { 'a2a-version': '1.0', ...bearer(alice) };

  beforeAll(async () => {
    echo = await v1Client(setup.baseUrl, alice, 'acme', 'echo', 'HTTP+JSON');
    scripted = await v1Client(setup.baseUrl, alice, 'acme', 'scripted', 'HTTP+JSON');
    echoUrl = interfaceUrl(setup.baseUrl, 'acme', 'echo');
    scriptedUrl = interfaceUrl(setup.baseUrl, 'acme', 'scripted');
  });

  async function startScripted(text: string): Promise<string> {
    const task = await scripted.sendMessage(textMessage(text, { returnImmediately: true }));
    return (task as Task).id;
  }

  it('the SDK picks the HTTP+JSON binding; message:send blocks until the task completes', async () => {
    expect(echo.transport.protocolName).toBe('HTTP+JSON');
    const task = Task.toJSON((await echo.sendMessage(textMessage('over plain http'))) as Task);
    expect(task).toMatchObject({
      status: { state: 'TASK_STATE_COMPLETED' },
      artifacts: [{ artifactId: 'echo', parts: [{ text: 'over plain http' }] }],
    });
  });

  it('message:stream: the Task, the updates in order, the terminal state, then the end', async () => {
    const events = (await collect(echo.sendMessageStream(textMessage('red green')))).map((e) =>
      StreamResponse.toJSON(e),
    );
    expect(events).toMatchObject([
      { task: { status: { state: 'TASK_STATE_SUBMITTED' } } },
      { statusUpdate: { status: { state: 'TASK_STATE_WORKING' } } },
      { artifactUpdate: { artifact: { parts: [{ text: 'red ' }] } } },
      {
        artifactUpdate: { artifact: { parts: [{ text: 'green' }] }, append: true, lastChunk: true },
      },
      { statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } },
    ]);
  });

  it('GET /tasks/{id} and GET /tasks answer A2A requests here and REST requests as before', async () => {
    const id = ((await echo.sendMessage(textMessage('shared path'))) as Task).id;
    const viaA2a = await echo.getTask({ tenant: '', id, historyLength: 0 });
    expect(Task.toJSON(viaA2a)).toMatchObject({ id, status: { state: 'TASK_STATE_COMPLETED' } });
    expect(viaA2a.history).toEqual([]);

    const rest = await fetch(`${echoUrl}/tasks/${id}`, { headers: bearer(alice) });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject({
      id,
      history: [{ parts: [{ text: 'shared path' }] }],
    });

    const listed = await echo.listTasks(ListTasksRequest.fromJSON({ pageSize: 1 }));
    expect(listed.tasks.map((t) => t.id)).toEqual([id]);
    const restList = await fetch(`${echoUrl}/tasks?limit=1`, { headers: bearer(alice) });
    expect(((await restList.json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual(
      [id],
    );
    // pageSize is the binding's parameter, not the REST API's: without A2A-Version it is refused.
    expect((await fetch(`${echoUrl}/tasks?pageSize=1`, { headers: bearer(alice) })).status).toBe(
      400,
    );

    const missing = randomUUID();
    const a2aMissing = await fetch(`${echoUrl}/tasks/${missing}`, { headers: a2a });
    expect(a2aMissing.status).toBe(404);
    expect(await a2aMissing.json()).toEqual({
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: `Task ${missing} not found`,
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'TASK_NOT_FOUND',
            domain: 'a2a-protocol.org',
          },
        ],
      },
    });
    await expect(echo.getTask({ tenant: '', id: missing })).rejects.toMatchObject({
      name: 'TaskNotFoundError',
      statusCode: 404,
    });
    const restMissing = await fetch(`${echoUrl}/tasks/${missing}`, { headers: bearer(alice) });
    expect(await restMissing.json()).toMatchObject({ error: { code: 'TASK_NOT_FOUND' } });
  });

  it('POST /tasks/{id}:cancel; a second cancel is 400 TaskNotCancelable', async () => {
    const id = await startScripted('cancel over http');
    expect(
      Task.toJSON(await scripted.cancelTask({ tenant: '', id, metadata: undefined })),
    ).toMatchObject({
      status: { state: 'TASK_STATE_CANCELED' },
    });
    await expect(
      scripted.cancelTask({ tenant: '', id, metadata: undefined }),
    ).rejects.toMatchObject({
      name: 'TaskNotCancelableError',
      statusCode: 400,
    });
  });

  it('/tasks/{id}:subscribe mid-task (POST from the SDK, GET per the spec): the Task first, then the rest', async () => {
    const id = await startScripted('subscribe over http');
    await workerSays(status(id, 1, 'TASK_STATE_WORKING'));
    const viaGet = await fetch(`${scriptedUrl}/tasks/${id}:subscribe`, { headers: a2a });
    expect(viaGet.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = scripted.resubscribeTask({ tenant: '', id })[Symbol.asyncIterator]();
    expect(StreamResponse.toJSON((await stream.next()).value as StreamResponse)).toMatchObject({
      task: { id, status: { state: 'TASK_STATE_WORKING' } },
    });
    await workerSays(
      chunk(id, 2, 'done', { is_last: true }),
      status(id, 3, 'TASK_STATE_COMPLETED'),
    );
    const rest = (await collect({ [Symbol.asyncIterator]: () => stream })).map((e) =>
      StreamResponse.toJSON(e),
    );
    expect(rest).toMatchObject([
      { artifactUpdate: { artifact: { parts: [{ text: 'done' }] } } },
      { statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } },
    ]);
    const raw = await viaGet.text();
    expect(raw.split('\n\n').filter((frame) => frame.includes('data:'))).toHaveLength(3);
    expect(raw).toContain('"statusUpdate"');
  });

  it('push notification configs over HTTP+JSON: create, get, list, delete', async () => {
    const id = await startScripted('push over http');
    const created = await scripted.createTaskPushNotificationConfig(
      TaskPushNotificationConfig.fromJSON({
        taskId: id,
        id: 'h1',
        url: 'http://127.0.0.1:9/hook',
        token: 't',
      }),
    );
    expect(TaskPushNotificationConfig.toJSON(created)).toEqual({
      taskId: id,
      id: 'h1',
      url: 'http://127.0.0.1:9/hook',
      token: 't',
    });
    const got = await scripted.getTaskPushNotificationConfig({ tenant: '', taskId: id, id: 'h1' });
    expect(got.url).toBe('http://127.0.0.1:9/hook');
    // Configs carry the receiver's credentials: another member of the org reads the task, not them.
    const asBob = { 'a2a-version': '1.0', ...bearer(userToken({ sub: 'bob', orgs: ['acme'] })) };
    expect((await fetch(`${scriptedUrl}/tasks/${id}`, { headers: asBob })).status).toBe(200);
    const bobLists = await fetch(`${scriptedUrl}/tasks/${id}/pushNotificationConfigs`, {
      headers: asBob,
    });
    expect(bobLists.status).toBe(403);
    expect(JSON.stringify(await bobLists.json())).not.toContain('"t"');
    const listed = await scripted.listTaskPushNotificationConfig({
      tenant: '',
      taskId: id,
      pageSize: 0,
      pageToken: '',
    });
    expect(listed.configs.map((c) => c.id)).toEqual(['h1']);
    await scripted.deleteTaskPushNotificationConfig({ tenant: '', taskId: id, id: 'h1' });
    await expect(
      scripted.getTaskPushNotificationConfig({ tenant: '', taskId: id, id: 'h1' }),
    ).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
  });

  it('a request without A2A-Version is 0.3, which this binding does not speak; a bad body is 400', async () => {
    const body = JSON.stringify({
      message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'x' }] },
    });
    const noVersion = await fetch(`${echoUrl}/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(alice) },
      body,
    });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({
      error: {
        code: 400,
        status: 'FAILED_PRECONDITION',
        details: [{ reason: 'VERSION_NOT_SUPPORTED' }],
      },
    });

    const malformed = await fetch(`${echoUrl}/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...a2a },
      body: '{"message": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT' },
    });

    const anonymous = await fetch(`${echoUrl}/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body,
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { code: 401, status: 'UNAUTHENTICATED' },
    });
  });
});

import {
  AgentCard,
  ListTasksRequest,
  StreamResponse,
  Task,
  type SendMessageResult,
} from '@a2a-js/sdk';
import { type Client, DefaultAgentCardResolver } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';
import { expectEventually } from '../utils/expect-eventually';
import { bearer, userToken } from '../utils/tokens';
import { chunk, status } from '../utils/webhook-client';
import {
  collect,
  interfaceUrl,
  postRpc,
  textMessage,
  useA2aGateway,
  v1Client,
} from './a2a-support';

function taskJson(result: SendMessageResult | Task): Record<string, unknown> {
  expect('status' in result).toBe(true);
  return Task.toJSON(result as Task) as Record<string, unknown>;
}

describe('A2A 1.0 JSON-RPC binding, driven by the official @a2a-js/sdk 1.x client', () => {
  const setup = useA2aGateway();
  const { workerSays } = setup;
  let echo: Client;
  let scripted: Client;
  let rpcUrl: string;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    echo = await v1Client(setup.baseUrl, alice, 'acme', 'echo');
    scripted = await v1Client(setup.baseUrl, alice, 'acme', 'scripted');
    rpcUrl = interfaceUrl(setup.baseUrl, 'acme', 'echo');
  });

  it('serves the 1.0 agent card: both bindings, 0.3 too, streaming, push, bearer; cached by ETag', async () => {
    const cardUrl = `${rpcUrl}/.well-known/agent-card.json`;
    const first = await fetch(cardUrl, { headers: { 'a2a-version': '1.0' } });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      name: 'echo',
      description: expect.stringContaining('Built-in') as string,
      supportedInterfaces: [
        { url: rpcUrl, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: rpcUrl, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
        { url: rpcUrl, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      ],
      version: '1.0.0',
      capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: false },
      securitySchemes: {
        bearer: {
          httpAuthSecurityScheme: {
            scheme: 'Bearer',
            bearerFormat: 'JWT',
            description: expect.any(String) as string,
          },
        },
      },
      securityRequirements: [{ schemes: { bearer: { list: [] } } }],
      defaultInputModes: ['text/plain', 'application/json'],
      defaultOutputModes: ['text/plain'],
      skills: [
        { id: 'echo', name: 'Echo', description: 'Repeats the text it is sent', tags: ['demo'] },
      ],
    });
    // The SDK's own resolver reads it as a card with both 1.0 bindings.
    const parsed = await new DefaultAgentCardResolver().resolve(`${rpcUrl}/`);
    expect(AgentCard.toJSON(parsed)).toMatchObject({
      capabilities: { streaming: true, pushNotifications: true },
      securitySchemes: { bearer: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
    });

    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    expect(first.headers.get('vary')).toBe('A2A-Version');
    const again = await fetch(cardUrl, {
      headers: { 'a2a-version': '1.0', 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    const unknown = await fetch(
      `${setup.baseUrl}/agent-to-agent/acme/nobody/.well-known/agent-card.json`,
    );
    expect(unknown.status).toBe(404);
  });

  it('SendMessage blocks until the task completes and answers with its artifacts', async () => {
    const task = taskJson(await echo.sendMessage(textMessage('hello brave new world')));
    expect(task).toMatchObject({
      status: { state: 'TASK_STATE_COMPLETED' },
      artifacts: [{ artifactId: 'echo', parts: [{ text: 'hello brave new world' }] }],
      history: [{ role: 'ROLE_USER', parts: [{ text: 'hello brave new world' }] }],
    });
  });

  it('SendStreamingMessage: the Task, WORKING, every chunk in order, COMPLETED, then the stream closes', async () => {
    const events = (await collect(echo.sendMessageStream(textMessage('one two three four')))).map(
      (e) => StreamResponse.toJSON(e) as Record<string, Record<string, unknown>>,
    );
    expect(events.map((e) => Object.keys(e)[0])).toEqual([
      'task',
      'statusUpdate',
      'artifactUpdate',
      'artifactUpdate',
      'artifactUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    expect(events[0].task).toMatchObject({ status: { state: 'TASK_STATE_SUBMITTED' } });
    expect(events[1].statusUpdate).toMatchObject({ status: { state: 'TASK_STATE_WORKING' } });
    const chunks = events.slice(2, 6).map((e) => e.artifactUpdate);
    expect(chunks.map((c) => (c.artifact as { parts: { text: string }[] }).parts[0].text)).toEqual([
      'one ',
      'two ',
      'three ',
      'four',
    ]);
    expect(chunks.map((c) => [c.append ?? false, c.lastChunk ?? false])).toEqual([
      [false, false],
      [true, false],
      [true, false],
      [true, true],
    ]);
    expect(events[6].statusUpdate).toMatchObject({ status: { state: 'TASK_STATE_COMPLETED' } });
  });

  it('GetTask reads the task the REST API shows; historyLength 0 leaves out the history', async () => {
    const sent = taskJson(await echo.sendMessage(textMessage('read me back')));
    const id = sent.id as string;
    const got = taskJson(await echo.getTask({ tenant: '', id }));
    const rest = (await (
      await fetch(`${rpcUrl}/tasks/${id}`, { headers: bearer(alice) })
    ).json()) as Record<string, unknown>;
    expect(got).toEqual(Task.toJSON(Task.fromJSON(rest)));
    const withoutHistory = taskJson(await echo.getTask({ tenant: '', id, historyLength: 0 }));
    expect(withoutHistory.history).toBeUndefined();
  });

  it('ListTasks pages through the caller’s tasks, newest first, artifacts only when asked', async () => {
    const carol = userToken({ sub: 'carol', orgs: ['acme'] });
    const client = await v1Client(setup.baseUrl, carol, 'acme', 'echo');
    const ids: string[] = [];
    for (const text of ['first', 'second', 'third'])
      ids.push(taskJson(await client.sendMessage(textMessage(text))).id as string);

    const page1 = await client.listTasks(ListTasksRequest.fromJSON({ pageSize: 2 }));
    expect(page1.tasks.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    expect(page1.tasks.every((t) => t.artifacts.length === 0)).toBe(true);
    expect(page1.nextPageToken).not.toBe('');
    const page2 = await client.listTasks(
      ListTasksRequest.fromJSON({
        pageSize: 2,
        pageToken: page1.nextPageToken,
        includeArtifacts: true,
      }),
    );
    expect(page2.tasks.map((t) => t.id)).toEqual([ids[0]]);
    expect(Task.toJSON(page2.tasks[0])).toMatchObject({
      artifacts: [{ parts: [{ text: 'first' }] }],
    });
    expect(page2.nextPageToken).toBe('');
  });

  it('CancelTask cancels a running task; canceling it again is -32002 TaskNotCancelable', async () => {
    const started = taskJson(
      await scripted.sendMessage(textMessage('work slowly', { returnImmediately: true })),
    );
    const id = started.id as string;
    await workerSays(status(id, 1, 'TASK_STATE_WORKING'));
    const canceled = taskJson(await scripted.cancelTask({ tenant: '', id, metadata: undefined }));
    expect(canceled.status).toMatchObject({ state: 'TASK_STATE_CANCELED' });
    await expect(
      scripted.cancelTask({ tenant: '', id, metadata: undefined }),
    ).rejects.toMatchObject({
      name: 'TaskNotCancelableError',
      envelopeCode: -32002,
    });
  });

  it('SubscribeToTask mid-task: the current Task first, then the rest, then the stream closes', async () => {
    const started = taskJson(
      await scripted.sendMessage(textMessage('stream later', { returnImmediately: true })),
    );
    const id = started.id as string;
    await workerSays(status(id, 1, 'TASK_STATE_WORKING'), chunk(id, 2, 'Hel'));
    const stream = scripted.resubscribeTask({ tenant: '', id })[Symbol.asyncIterator]();
    const first = StreamResponse.toJSON((await stream.next()).value as StreamResponse);
    expect(first).toMatchObject({
      task: {
        id,
        status: { state: 'TASK_STATE_WORKING' },
        artifacts: [{ artifactId: 'a1', parts: [{ text: 'Hel' }] }],
      },
    });
    await workerSays(chunk(id, 3, 'lo', { is_last: true }), status(id, 4, 'TASK_STATE_COMPLETED'));
    const rest = (await collect({ [Symbol.asyncIterator]: () => stream })).map((e) =>
      StreamResponse.toJSON(e),
    );
    expect(rest).toMatchObject([
      { artifactUpdate: { artifact: { parts: [{ text: 'lo' }] }, append: true, lastChunk: true } },
      { statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } },
    ]);
    await expect(collect(scripted.resubscribeTask({ tenant: '', id }))).rejects.toMatchObject({
      name: 'UnsupportedOperationError',
      envelopeCode: -32004,
    });
  });

  it('a message with the taskId of a task that asks for input continues that task', async () => {
    const started = taskJson(
      await scripted.sendMessage(textMessage('book a table', { returnImmediately: true })),
    );
    const id = started.id as string;
    await workerSays(
      status(id, 1, 'TASK_STATE_INPUT_REQUIRED', { message: 'For how many people?' }),
    );
    const asked = taskJson(await scripted.getTask({ tenant: '', id }));
    expect(asked.status).toMatchObject({
      state: 'TASK_STATE_INPUT_REQUIRED',
      message: { role: 'ROLE_AGENT', parts: [{ text: 'For how many people?' }] },
    });

    const answer = scripted.sendMessage(textMessage('four', {}, id));
    await expectEventually(() =>
      expect(setup.worker.dispatches.filter((d) => d.task.id === id).map((d) => d.event)).toEqual([
        'task.created',
        'task.input-received',
      ]),
    );
    const handedOver = setup.worker.dispatches.find((d) => d.event === 'task.input-received')!.task;
    expect(handedOver.status.state).toBe('TASK_STATE_WORKING');
    expect(handedOver.history?.map((m) => m.parts[0].text)).toEqual(['book a table', 'four']);
    await workerSays(status(id, 2, 'TASK_STATE_COMPLETED'));
    expect(taskJson(await answer).status).toMatchObject({ state: 'TASK_STATE_COMPLETED' });

    await expect(scripted.sendMessage(textMessage('and a cake', {}, id))).rejects.toMatchObject({
      name: 'UnsupportedOperationError',
      envelopeCode: -32004,
    });
  });

  describe('errors, in the JSON-RPC shape of A2A 1.0', () => {
    const v1 = { 'a2a-version': '1.0' };
    const errorInfo = (reason: string) => [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'a2a-protocol.org' },
    ];

    it('an unknown task is -32001 TaskNotFound, through the SDK and on the wire', async () => {
      const id = randomUUID();
      await expect(echo.getTask({ tenant: '', id })).rejects.toMatchObject({
        name: 'TaskNotFoundError',
        envelopeCode: -32001,
      });
      const reply = await postRpc(
        rpcUrl,
        JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'GetTask', params: { id } }),
        { ...v1, ...bearer(alice) },
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: { code: -32001, message: `Task ${id} not found`, data: errorInfo('TASK_NOT_FOUND') },
      });
    });

    it('an unknown method is -32601', async () => {
      const reply = await postRpc(
        rpcUrl,
        JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'tasks/get', params: {} }),
        { ...v1, ...bearer(alice) },
      );
      expect(reply.body).toMatchObject({ jsonrpc: '2.0', id: 'x', error: { code: -32601 } });
    });

    it('malformed JSON is -32700 with a null id', async () => {
      const reply = await postRpc(rpcUrl, '{"jsonrpc": "2.0", "method": ', {
        ...v1,
        ...bearer(alice),
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    });

    it('a body that is not JSON is -32005 ContentTypeNotSupported', async () => {
      const reply = await postRpc(rpcUrl, 'GetTask please', {
        ...v1,
        ...bearer(alice),
        'content-type': 'text/plain',
      });
      expect(reply.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32005 } });
      const a2aJson = await postRpc(
        rpcUrl,
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ListTasks', params: {} }),
        { ...v1, ...bearer(alice), 'content-type': 'application/a2a+json' },
      );
      expect(a2aJson.body).toMatchObject({ jsonrpc: '2.0', id: 2, result: { nextPageToken: '' } });
    });

    it('a request that is not a JSON-RPC 2.0 request object is -32600', async () => {
      for (const body of [
        { jsonrpc: '1.0', id: 1, method: 'GetTask' },
        { jsonrpc: '2.0', id: 1 },
        { jsonrpc: '2.0', id: { no: 1 }, method: 'GetTask' },
        [{ jsonrpc: '2.0', id: 1, method: 'GetTask' }],
        'GetTask',
      ]) {
        const reply = await postRpc(rpcUrl, JSON.stringify(body), { ...v1, ...bearer(alice) });
        expect(reply.body).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
      }
    });

    it('invalid params are -32602, naming the field', async () => {
      const reply = await postRpc(
        rpcUrl,
        JSON.stringify({
          jsonrpc: '2.0',
          id: 3,
          method: 'SendMessage',
          params: { message: { role: 'ROLE_USER', parts: [] } },
        }),
        { ...v1, ...bearer(alice) },
      );
      expect(reply.body).toMatchObject({
        id: 3,
        error: { code: -32602, message: expect.stringContaining('message.parts') as string },
      });
    });

    it('an unsupported A2A-Version is -32009 VersionNotSupported', async () => {
      const reply = await postRpc(
        rpcUrl,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: randomUUID() } }),
        { 'a2a-version': '2.0', ...bearer(alice) },
      );
      expect(reply.body).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: {
          code: -32009,
          message: 'A2A version 2.0 is not supported; supported versions: 1.0, 0.3',
          data: errorInfo('VERSION_NOT_SUPPORTED'),
        },
      });
    });

    it('no token is a 401 with a JSON-RPC error; another org’s task is -32001', async () => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: {} });
      const anonymous = await postRpc(rpcUrl, body, v1);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(anonymous.body).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -31001 } });

      const task = taskJson(await echo.sendMessage(textMessage('private')));
      const mallory = await v1Client(
        setup.baseUrl,
        userToken({ sub: 'mallory', orgs: ['evil'] }),
        'acme',
        'echo',
      );
      await expect(mallory.getTask({ tenant: '', id: task.id as string })).rejects.toMatchObject({
        envelopeCode: -32001,
      });
    });
  });
});

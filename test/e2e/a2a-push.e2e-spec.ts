import { randomUUID } from 'node:crypto';
import { SendMessageRequest, type Task, TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { expectEventually } from '../utils/expect-eventually';
import { startTestApp, type TestApp } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';
import {
  agentsFile,
  interfaceUrl,
  type PushReceiver,
  type ScriptedWorker,
  startPushReceiver,
  startScriptedWorker,
  v03Client,
  v1Client,
} from './a2a-support';

function request(text: string, configuration: Record<string, unknown> = {}) {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
    configuration,
  });
}

describe('A2A push notifications to a real webhook receiver', () => {
  let gateway: TestApp;
  let worker: ScriptedWorker;
  let receiver: PushReceiver;
  let echo: Client;
  let scripted: Client;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    worker = await startScriptedWorker();
    gateway = await startTestApp({
      AGENTS_FILE: agentsFile('acme', 'scripted', `${worker.url}/tasks`),
      // The receiver listens on loopback, which push notifications may target only when listed.
      A2A_PUSH_ALLOWED_HOSTS: '127.0.0.1',
      A2A_PUSH_BACKOFF_MS: '20',
    });
    echo = await v1Client(gateway.baseUrl, alice, 'acme', 'echo');
    scripted = await v1Client(gateway.baseUrl, alice, 'acme', 'scripted');
  });
  afterEach(() => receiver.close());
  afterAll(async () => {
    await gateway.close();
    await worker.close();
  });

  async function workerSays(...events: Parameters<typeof postWebhook>[1][]): Promise<void> {
    for (const event of events)
      expect((await postWebhook(gateway.baseUrl, event)).status).toBe(200);
  }

  /** The task's stored events after the SUBMITTED one, as the REST polling API shows them. */
  async function loggedUpdates(taskId: string, agent: string): Promise<unknown[]> {
    const url = `${interfaceUrl(gateway.baseUrl, 'acme', agent)}/tasks/${taskId}/messages?after=1`;
    const polled = (await (await fetch(url, { headers: bearer(alice) })).json()) as {
      events: { data: unknown }[];
    };
    return polled.events.map((e) => e.data);
  }

  it('POSTs every status and artifact update in order with the client’s credentials, retrying after a 500', async () => {
    receiver = await startPushReceiver([500]);
    const task = (await echo.sendMessage(
      request('push me along please', {
        taskPushNotificationConfig: {
          url: `${receiver.url}/hook`,
          token: 'client-token-1',
          authentication: { scheme: 'Bearer', credentials: 'receiver-secret' },
        },
      }),
    )) as Task;

    const updates = await loggedUpdates(task.id, 'echo');
    expect(updates).toHaveLength(6); // WORKING, one chunk per word, COMPLETED
    await expectEventually(() => expect(receiver.received).toHaveLength(updates.length + 1));
    // The first POST was answered 500 and sent again; then each update once, in log order.
    expect(receiver.received[0].body).toEqual(receiver.received[1].body);
    expect(receiver.received.slice(1).map((r) => r.body)).toEqual(updates);
    expect(receiver.received[1].body).toMatchObject({
      statusUpdate: { taskId: task.id, status: { state: 'TASK_STATE_WORKING' } },
    });
    expect(receiver.received[receiver.received.length - 1].body).toMatchObject({
      statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } },
    });
    for (const { headers } of receiver.received) {
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-a2a-notification-token']).toBe('client-token-1');
      expect(headers.authorization).toBe('Bearer receiver-secret');
    }
  });

  it('keeps delivering while no client is connected; a 0.3 config gets 0.3 payloads', async () => {
    receiver = await startPushReceiver();
    const task = (await scripted.sendMessage(
      request('long job', { returnImmediately: true }),
    )) as Task;
    const v1Config = await scripted.createTaskPushNotificationConfig(
      TaskPushNotificationConfig.fromJSON({ taskId: task.id, id: 'v1', url: `${receiver.url}/v1` }),
    );
    expect(v1Config.id).toBe('v1');
    const legacy = await v03Client(gateway.baseUrl, alice, 'acme', 'scripted');
    await legacy.setTaskPushNotificationConfig({
      taskId: task.id,
      pushNotificationConfig: { id: 'v03', url: `${receiver.url}/v03`, token: 'old-client' },
    });

    // No stream is open: the worker's updates reach the webhooks anyway.
    await workerSays(
      { task_id: task.id, sequence: 1, type: 'status', state: 'TASK_STATE_WORKING' },
      chunk(task.id, 2, 'result', { is_last: true }),
      { task_id: task.id, sequence: 3, type: 'status', state: 'TASK_STATE_COMPLETED' },
    );
    await expectEventually(() => expect(receiver.received).toHaveLength(6));
    const byPath = (path: string) => receiver.received.filter((r) => r.path === path);
    expect(byPath('/v1').map((r) => r.body)).toEqual(await loggedUpdates(task.id, 'scripted'));
    expect(byPath('/v03').map((r) => r.body)).toMatchObject([
      { kind: 'status-update', taskId: task.id, status: { state: 'working' }, final: false },
      {
        kind: 'artifact-update',
        artifact: { parts: [{ kind: 'text', text: 'result' }] },
        lastChunk: true,
      },
      { kind: 'status-update', status: { state: 'completed' }, final: true },
    ]);
  });

  it('refuses webhooks on private, loopback or link-local addresses that the allowlist does not name', async () => {
    receiver = await startPushReceiver();
    const task = (await scripted.sendMessage(
      request('no ssrf', { returnImmediately: true }),
    )) as Task;
    for (const url of [
      'http://10.0.0.7/hook',
      'http://192.168.1.20/hook',
      'http://[::1]:8080/hook',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      await expect(
        scripted.createTaskPushNotificationConfig(
          TaskPushNotificationConfig.fromJSON({ taskId: task.id, url }),
        ),
      ).rejects.toMatchObject({
        name: 'RequestMalformedError',
        envelopeCode: -32602,
        message: expect.stringContaining('loopback or private address') as string,
      });
    }
    // Sent with a new message, a refused webhook refuses the message: no task runs unheard.
    await expect(
      echo.sendMessage(
        request('hello', { taskPushNotificationConfig: { url: 'http://10.0.0.7/hook' } }),
      ),
    ).rejects.toMatchObject({ envelopeCode: -32602 });

    expect(receiver.received).toEqual([]);
  });
});

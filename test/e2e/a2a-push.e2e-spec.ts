import { type Task, TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { expectEventually } from '../utils/expect-eventually';
import { bearer, userToken } from '../utils/tokens';
import { chunk, status } from '../utils/webhook-client';
import {
  interfaceUrl,
  type PushReceiver,
  startPushReceiver,
  textMessage,
  useA2aGateway,
  v03Client,
  v1Client,
} from './a2a-support';

describe('A2A push notifications to a real webhook receiver', () => {
  const setup = useA2aGateway({
    // The receiver listens on loopback, which push notifications may target only when listed.
    A2A_PUSH_ALLOWED_HOSTS: '127.0.0.1',
    A2A_PUSH_BACKOFF_MS: '20',
  });
  const { workerSays } = setup;
  let receiver: PushReceiver;
  let echo: Client;
  let scripted: Client;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    echo = await v1Client(setup.baseUrl, alice, 'acme', 'echo');
    scripted = await v1Client(setup.baseUrl, alice, 'acme', 'scripted');
  });

  afterEach(() => receiver.close());

  /** The task's stored events after the SUBMITTED one, as the REST polling API shows them. */
  async function loggedUpdates(taskId: string, agent: string): Promise<unknown[]> {
    const url = `${interfaceUrl(setup.baseUrl, 'acme', agent)}/tasks/${taskId}/messages?after=1`;
    const polled = (await (await fetch(url, { headers: bearer(alice) })).json()) as {
      events: { data: unknown }[];
    };
    return polled.events.map((e) => e.data);
  }

  it('POSTs every status and artifact update in order with the client’s credentials, retrying after a 500', async () => {
    receiver = await startPushReceiver([500]);
    const task = (await echo.sendMessage(
      textMessage('push me along please', {
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
      textMessage('long job', { returnImmediately: true }),
    )) as Task;
    const v1Config = await scripted.createTaskPushNotificationConfig(
      TaskPushNotificationConfig.fromJSON({ taskId: task.id, id: 'v1', url: `${receiver.url}/v1` }),
    );
    expect(v1Config.id).toBe('v1');
    const legacy = await v03Client(setup.baseUrl, alice, 'acme', 'scripted');
    await legacy.setTaskPushNotificationConfig({
      taskId: task.id,
      pushNotificationConfig: { id: 'v03', url: `${receiver.url}/v03`, token: 'old-client' },
    });

    // No stream is open: the worker's updates reach the webhooks anyway.
    await workerSays(
      status(task.id, 1, 'TASK_STATE_WORKING'),
      chunk(task.id, 2, 'result', { is_last: true }),
      status(task.id, 3, 'TASK_STATE_COMPLETED'),
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
      textMessage('no ssrf', { returnImmediately: true }),
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
        textMessage('hello', { taskPushNotificationConfig: { url: 'http://10.0.0.7/hook' } }),
      ),
    ).rejects.toMatchObject({ envelopeCode: -32602 });

    expect(receiver.received).toEqual([]);
  });
});

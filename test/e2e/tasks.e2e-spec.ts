import { signWebhook, type Task } from '../../libs/contracts/src';
import { createTask } from '../factories/tasks';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { expectEventually } from '../utils/expect-eventually';
import { TEST_WEBHOOK_SECRET } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });
const bob = userToken({ sub: 'bob', orgs: ['acme'] });
const admin = userToken({ sub: 'root', orgs: ['acme'], roles: ['admin'] });

/** Whatever an endpoint of this API answers: a Task, a page of tasks or an error. */
type ApiBody = Task & {
  error: { code: string; message: string };
  tasks: Task[];
  nextPageToken?: string;
};

describe('tasks over REST, and dispatch to workers', () => {
  const api = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: ApiBody }> => {
    const response = await fetch(`${setup.gateway.baseUrl}/agent-to-agent/acme${path}`, {
      method,
      headers: {
        ...bearer(token),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as ApiBody };
  };
  const getTask = async (agent: string, id: string): Promise<Task> =>
    (await api('GET', `/${agent}/tasks/${id}`, alice)).body;

  const setup = useGatewayWithWorker({ ECHO_DELAY_MS: '30' });

  it('validates the message and names the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'message: message should not be null or undefined'],
      [
        { message: { role: 'ROLE_AGENT', parts: [{ text: 'x' }] } },
        'message.role: role must be one of the following values: ROLE_USER',
      ],
      [
        { message: { role: 'ROLE_USER', parts: [] } },
        'message.parts: parts must contain at least 1 elements',
      ],
      [
        { message: { role: 'ROLE_USER', parts: [{ mediaType: 'text/plain' }] } },
        'message.parts.0: a part needs text, data, url or raw',
      ],
      [
        { message: { role: 'ROLE_USER', parts: [{ text: 'x' }] }, extra: 1 },
        'property extra should not exist',
      ],
      [
        { message: { role: 'ROLE_USER', parts: [{ text: 'x' }] }, parentTaskId: 'nope' },
        'parentTaskId: parentTaskId must be a UUID',
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await api('POST', '/echo/tasks', alice, body);
      expect([reply.status, reply.body.error.code, reply.body.error.message]).toEqual([
        400,
        'VALIDATION_FAILED',
        expect.stringContaining(message),
      ]);
    }
    expect(
      (
        await api('POST', '/nobody/tasks', alice, {
          message: { role: 'ROLE_USER', parts: [{ text: 'x' }] },
        })
      ).status,
    ).toBe(404);
  });

  it('keeps contextId, parentTaskId and metadata, and links the stream endpoints', async () => {
    const parent = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'parent');
    const reply = await api('POST', '/writer/tasks', alice, {
      message: { role: 'ROLE_USER', parts: [{ text: 'child' }], messageId: 'm-1' },
      contextId: 'ctx-1',
      parentTaskId: parent.id,
      metadata: { ticket: 42 },
    });
    expect(reply.status).toBe(201);
    const task = reply.body;
    expect(task.contextId).toBe('ctx-1');
    expect(task.history).toEqual([
      {
        messageId: 'm-1',
        role: 'ROLE_USER',
        parts: [{ text: 'child' }],
        contextId: 'ctx-1',
        taskId: task.id,
      },
    ]);
    expect(task.metadata).toEqual({
      ticket: 42,
      parentTaskId: parent.id,
      streamEndpoint: `/agent-to-agent/acme/writer/tasks/${task.id}/stream`,
      streamTokenEndpoint: `/agent-to-agent/acme/writer/tasks/${task.id}/stream-token`,
      messagesEndpoint: `/agent-to-agent/acme/writer/tasks/${task.id}/messages`,
    });
  });

  it("lists the caller's tasks for the agent, newest first, in cursor pages, filtered by state", async () => {
    const mine = [];
    for (let i = 0; i < 5; i++)
      mine.push(await createTask(setup.gateway.baseUrl, bob, 'acme', 'writer', `b${i}`));
    await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'not bob');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(
        'GET',
        `/writer/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        bob,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.tasks.map((t) => t.id));
      cursor = page.body.nextPageToken;
    } while (cursor);
    expect(seen).toEqual(mine.map((t) => t.id).reverse());
    await api('POST', `/writer/tasks/${mine[0].id}/cancel`, bob);
    const canceled = await api('GET', '/writer/tasks?state=TASK_STATE_CANCELED', bob);
    expect(canceled.body.tasks.map((t) => t.id)).toEqual([mine[0].id]);
    expect((await api('GET', '/writer/tasks?cursor=garbage', bob)).status).toBe(400);
    expect((await api('GET', '/writer/tasks?limit=1000', bob)).status).toBe(400);
  });

  it('dispatches a new task to its worker as a signed POST of the Task', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'do it');
    await expectEventually(() =>
      expect(setup.worker.received.some((d) => d.body.id === task.id)).toBe(true),
    );
    const dispatch = setup.worker.received.find((d) => d.body.id === task.id)!;
    expect(dispatch.body.history).toEqual(task.history);
    expect(dispatch.headers['x-gateway-event']).toBe('task.created');
    const timestamp = dispatch.headers['x-webhook-timestamp'] as string;
    expect(dispatch.headers['x-webhook-signature']).toBe(
      signWebhook(TEST_WEBHOOK_SECRET, timestamp, dispatch.rawBody),
    );
  });

  it('retries a failing worker, then fails the task with the reason', async () => {
    setup.worker.replies.push(500, 503, 502);
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'doomed');
    await expectEventually(async () =>
      expect((await getTask('writer', task.id)).status.state).toBe('TASK_STATE_FAILED'),
    );
    expect(setup.worker.received.filter((d) => d.body.id === task.id)).toHaveLength(3);
    const final = await getTask('writer', task.id);
    expect(final.status.message?.parts).toEqual([
      { text: 'Dispatch to agent acme/writer failed: 3 attempts, last: HTTP 502' },
    ]);
  });

  it('lets the creator or an admin cancel, tells the worker, and refuses a second cancel with 409', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'long job');
    expect((await api('POST', `/writer/tasks/${task.id}/cancel`, bob)).status).toBe(403);
    const canceled = await api('POST', `/writer/tasks/${task.id}/cancel`, admin);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status.state).toBe('TASK_STATE_CANCELED');
    await expectEventually(() =>
      expect(
        setup.worker.received.find(
          (d) => d.body.id === task.id && d.headers['x-gateway-event'] === 'task.canceled',
        )?.body.status.state,
      ).toBe('TASK_STATE_CANCELED'),
    );
    const again = await api('POST', `/writer/tasks/${task.id}/cancel`, alice);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TASK_TERMINAL');
  });

  it('stops the echo agent when its task is canceled', async () => {
    const task = await createTask(
      setup.gateway.baseUrl,
      alice,
      'acme',
      'echo',
      'one two three four five six seven eight nine ten',
    );
    await expectEventually(async () =>
      expect((await getTask('echo', task.id)).artifacts).toHaveLength(1),
    );
    expect((await api('POST', `/echo/tasks/${task.id}/cancel`, alice)).status).toBe(200);
    const atCancel = (await getTask('echo', task.id)).artifacts[0].parts[0].text;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = await getTask('echo', task.id);
    expect(later.status.state).toBe('TASK_STATE_CANCELED');
    expect(later.artifacts[0].parts[0].text).toBe(atCancel);
    expect(atCancel).not.toBe('one two three four five six seven eight nine ten');
  });
});

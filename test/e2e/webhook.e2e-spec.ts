import { request as httpRequest } from 'node:http';
import { signWebhook, type Task } from '../../libs/contracts/src';
import { createTask, mintStreamToken } from '../factories/tasks';
import { expectEventually } from '../utils/expect-eventually';
import {
  openStream,
  reassembledText,
  type ReceivedEvent,
  type SseConnection,
} from '../utils/sse-client';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { metricValue } from '../utils/metric-value';
import { TEST_WEBHOOK_SECRET } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';
import { chunk, postWebhook, postWebhookWithHeaders } from '../utils/webhook-client';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });

function sequences(events: ReceivedEvent[]): number[] {
  return events
    .filter((e) => e.event === 'artifact-update')
    .map((e) => (e.data.artifactUpdate as { metadata: { sequence: number } }).metadata.sequence);
}

describe('webhook ingest', () => {
  const setup = useGatewayWithWorker({ WEBHOOK_REORDER_WINDOW_MS: '2000' });

  const newTask = (): Promise<Task> =>
    createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go');
  const watch = async (taskId: string): Promise<SseConnection> => {
    const { streamUrl } = await mintStreamToken(
      setup.gateway.baseUrl,
      alice,
      'acme',
      'writer',
      taskId,
    );
    const stream = openStream(`${setup.gateway.baseUrl}${streamUrl}`);
    await expectEventually(() => expect(stream.events.length).toBeGreaterThanOrEqual(1));
    return stream;
  };
  const getTask = async (taskId: string): Promise<Task> =>
    (await (
      await fetch(`${setup.gateway.baseUrl}/agent-to-agent/acme/writer/tasks/${taskId}`, {
        headers: bearer(alice),
      })
    ).json()) as Task;

  it('stores a repeated sequence once, acknowledges it again and delivers it once', async () => {
    const task = await newTask();
    const stream = await watch(task.id);
    expect((await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'once'))).body).toEqual({
      task_id: task.id,
      sequence: 1,
      status: 'stored',
    });
    expect((await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'once'))).body).toEqual({
      task_id: task.id,
      sequence: 1,
      status: 'duplicate',
    });
    await postWebhook(setup.gateway.baseUrl, chunk(task.id, 2, '!', { is_last: true }));
    await expectEventually(() => expect(sequences(stream.events)).toEqual([1, 2]));
    stream.close();
    expect(reassembledText(stream.events)).toBe('once!');
    const polled = (await (
      await fetch(`${setup.gateway.baseUrl}/agent-to-agent/acme/writer/tasks/${task.id}/messages`, {
        headers: bearer(alice),
      })
    ).json()) as { events: unknown[] };
    expect(polled.events).toHaveLength(3);
  });

  it('delivers out-of-order sequences in order, each acknowledged as soon as it is stored', async () => {
    const task = await newTask();
    const stream = await watch(task.id);
    for (const sequence of [3, 5, 2, 4]) {
      expect(
        (await postWebhook(setup.gateway.baseUrl, chunk(task.id, sequence, `${sequence}`))).status,
      ).toBe(200);
    }
    expect(sequences(stream.events)).toEqual([]);
    await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, '1'));
    await expectEventually(() => expect(sequences(stream.events)).toEqual([1, 2, 3, 4, 5]));
    stream.close();
    const ids = stream.events.map((e) => e.id);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    const appends = stream.events
      .slice(1)
      .map((e) => (e.data.artifactUpdate as { append: boolean }).append);
    expect(appends).toEqual([false, true, true, true, true]);
  });

  it('skips a gap that never fills once the reorder window closes; the late sequence gets 409', async () => {
    const task = await newTask();
    const stream = await watch(task.id);
    await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'a'));
    await postWebhook(setup.gateway.baseUrl, chunk(task.id, 3, 'c'));
    await expectEventually(() => expect(sequences(stream.events)).toEqual([1]));
    await expectEventually(() => expect(sequences(stream.events)).toEqual([1, 3]), 5000);
    stream.close();
    const late = await postWebhook(setup.gateway.baseUrl, chunk(task.id, 2, 'b'));
    expect(late.status).toBe(409);
    expect((late.body as { error: { code: string } }).error.code).toBe('SEQUENCE_SKIPPED');
    expect((await postWebhook(setup.gateway.baseUrl, chunk(task.id, 3, 'c'))).body).toMatchObject({
      status: 'duplicate',
    });
  });

  it('stores and delivers 1,000 concurrent posts to one task, all in sequence order', async () => {
    const task = await newTask();
    const stream = await watch(task.id);
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        postWebhook(setup.gateway.baseUrl, chunk(task.id, i + 1, `${i + 1},`)),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1000);
    await expectEventually(() => expect(sequences(stream.events)).toHaveLength(1000), 15000);
    stream.close();
    expect(sequences(stream.events)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(stream.events.map((e) => e.id)).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
    expect((await getTask(task.id)).artifacts[0].parts[0].text).toBe(
      Array.from({ length: 1000 }, (_, i) => `${i + 1},`).join(''),
    );
  });

  it('marks a task working once its worker streams, even without a WORKING status first', async () => {
    const task = await newTask();
    await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'straight in'));
    expect((await getTask(task.id)).status.state).toBe('TASK_STATE_WORKING');
  });

  it('turns status, progress and error events into status updates and task states', async () => {
    const task = await newTask();
    const stream = await watch(task.id);
    await postWebhook(setup.gateway.baseUrl, {
      task_id: task.id,
      sequence: 1,
      type: 'status',
      state: 'working',
    });
    await postWebhook(setup.gateway.baseUrl, {
      task_id: task.id,
      sequence: 2,
      type: 'progress',
      progress: 40,
      message: 'thinking',
    });
    await postWebhook(setup.gateway.baseUrl, {
      task_id: task.id,
      sequence: 3,
      type: 'error',
      message: 'model overloaded',
    });
    await stream.closed;
    const statuses = stream.events.map(
      (e) => e.data.statusUpdate as { status: { state: string }; metadata?: unknown },
    );
    expect(statuses.map((s) => s.status.state)).toEqual([
      'TASK_STATE_SUBMITTED',
      'TASK_STATE_WORKING',
      'TASK_STATE_WORKING',
      'TASK_STATE_FAILED',
    ]);
    expect(statuses[2].metadata).toEqual({ sequence: 2, progress: 40 });
    const final = await getTask(task.id);
    expect(final.status.state).toBe('TASK_STATE_FAILED');
    expect(final.status.message?.parts).toEqual([{ text: 'model overloaded' }]);
  });

  it('answers 404 for an unknown task and 409 for a new sequence on an ended one', async () => {
    const unknown = await postWebhook(
      setup.gateway.baseUrl,
      chunk('00000000-0000-4000-8000-000000000000', 1, 'x'),
    );
    expect(unknown.status).toBe(404);
    expect((await postWebhook(setup.gateway.baseUrl, chunk('not-a-uuid', 1, 'x'))).status).toBe(
      404,
    );
    const task = await newTask();
    await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'x'));
    await postWebhook(setup.gateway.baseUrl, {
      task_id: task.id,
      sequence: 2,
      type: 'status',
      state: 'TASK_STATE_COMPLETED',
    });
    const after = await postWebhook(setup.gateway.baseUrl, chunk(task.id, 3, 'late'));
    expect(after.status).toBe(409);
    expect((after.body as { error: { code: string } }).error.code).toBe('TASK_TERMINAL');
    expect((await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'x'))).body).toMatchObject({
      status: 'duplicate',
    });
  });

  it('answers 400 naming the field for malformed events and 413 above the size limit', async () => {
    const task = await newTask();
    const cases: [unknown, string][] = [
      [{ task_id: task.id, chunk: 'x', artifact_id: 'a' }, 'sequence: must be an integer from 1'],
      [
        { task_id: task.id, sequence: 0, chunk: 'x', artifact_id: 'a' },
        'sequence: must be an integer from 1',
      ],
      [{ task_id: task.id, sequence: 1, artifact_id: 'a' }, 'chunk: must be a string (type chunk)'],
      [
        { task_id: task.id, sequence: 1, chunk: 'x' },
        'artifact_id: must be a non-empty string (type chunk)',
      ],
      [
        { task_id: task.id, sequence: 1, type: 'status', state: 'sleeping' },
        'state: must be a task state other than submitted',
      ],
      [
        { task_id: task.id, sequence: 1, type: 'progress', progress: 140 },
        'progress: must be a number from 0 to 100 (type progress)',
      ],
      [
        { task_id: task.id, sequence: 1, type: 'shout' },
        'type: must be one of chunk, status, progress, error',
      ],
      [
        { task_id: task.id, sequence: 1, chunk: 'x', artifact_id: 'a', colour: 'red' },
        'colour: unknown field',
      ],
      [[1, 2], 'body: must be a JSON object'],
    ];
    for (const [body, message] of cases) {
      const reply = await postWebhook(setup.gateway.baseUrl, body);
      expect([reply.status, (reply.body as { error: { message: string } }).error.message]).toEqual([
        400,
        expect.stringContaining(message),
      ]);
    }
    const notJson = await postWebhook(setup.gateway.baseUrl, undefined, { raw: '{"task_id":' });
    expect(notJson.status).toBe(400);
    const batch = await postWebhook(
      setup.gateway.baseUrl,
      { events: [chunk(task.id, 1, 'x'), { task_id: task.id }] },
      { batch: true },
    );
    expect(batch.status).toBe(400);
    expect((batch.body as { error: { message: string } }).error.message).toContain(
      'events.1.sequence: must be an integer from 1',
    );
    const big = await postWebhook(
      setup.gateway.baseUrl,
      chunk(task.id, 1, 'x'.repeat(setup.gateway.config.WEBHOOK_MAX_BODY_BYTES)),
    );
    expect(big.status).toBe(413);
    expect((big.body as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('stores a batch in order, and does not answer 2xx when any event of it was refused', async () => {
    const task = await newTask();
    const stream = await watch(task.id);
    const ok = await postWebhook(
      setup.gateway.baseUrl,
      { events: [chunk(task.id, 2, 'b'), chunk(task.id, 1, 'a'), chunk(task.id, 3, 'c')] },
      { batch: true },
    );
    expect(ok).toEqual({
      status: 200,
      body: {
        results: [
          { task_id: task.id, sequence: 2, status: 'stored' },
          { task_id: task.id, sequence: 1, status: 'stored' },
          { task_id: task.id, sequence: 3, status: 'stored' },
        ],
      },
    });
    await expectEventually(() => expect(sequences(stream.events)).toEqual([1, 2, 3]));
    stream.close();
    const unknownTask = '00000000-0000-4000-8000-000000000001';
    const mixed = await postWebhook(
      setup.gateway.baseUrl,
      { events: [chunk(task.id, 4, 'd'), chunk(unknownTask, 1, 'x')] },
      { batch: true },
    );
    expect(mixed.status).toBe(404);
    expect(
      (mixed.body as { error: { details: { results: unknown[] } } }).error.details.results,
    ).toEqual([
      { task_id: task.id, sequence: 4, status: 'stored' },
      {
        task_id: unknownTask,
        sequence: 1,
        error: { code: 'TASK_NOT_FOUND', message: `Task ${unknownTask} not found` },
      },
    ]);
  });

  it('answers workers without CORS headers, which browser routes carry', async () => {
    const task = await newTask();
    const origin = 'https://app.example';
    for (const batch of [false, true]) {
      const body = batch ? { events: [chunk(task.id, 2, 'x')] } : chunk(task.id, 1, 'x');
      const reply = await postWebhookWithHeaders(setup.gateway.baseUrl, body, { batch, origin });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    }
    const browserRoute = await fetch(
      `${setup.gateway.baseUrl}/agent-to-agent/acme/writer/tasks/${task.id}`,
      { headers: { ...bearer(alice), origin } },
    );
    expect(browserRoute.headers.get('access-control-allow-origin')).toBe('*');
  });

  /** The webhook duration histogram's count or sum, from a scrape of /metrics. */
  const webhookDuration = async (series: 'count' | 'sum'): Promise<number> =>
    metricValue(
      await (await fetch(`${setup.gateway.baseUrl}/metrics`)).text(),
      `gateway_webhook_duration_seconds_${series}`,
    );

  it('times each acknowledged webhook request, single or batch, and no refused one', async () => {
    const task = await newTask();
    const count = (): Promise<number> => webhookDuration('count');
    const before = await count();
    expect((await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'a'))).status).toBe(200);
    const batch = { events: [chunk(task.id, 2, 'b'), chunk(task.id, 3, 'c')] };
    expect((await postWebhook(setup.gateway.baseUrl, batch, { batch: true })).status).toBe(200);
    const unsigned = await postWebhook(setup.gateway.baseUrl, chunk(task.id, 4, 'd'), {
      signature: 'sha256=00',
    });
    expect(unsigned.status).toBe(401);
    expect(await count()).toBe(before + 2);
  });

  it('times a webhook request from its arrival, so a body that is slow to come is counted', async () => {
    const task = await newTask();
    const sum = (): Promise<number> => webhookDuration('sum');
    const before = await sum();
    const raw = JSON.stringify(chunk(task.id, 1, 'slow'));
    const timestamp = Date.now().toString();
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${setup.gateway.baseUrl}/internal/webhook/stream`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(raw),
            'x-webhook-timestamp': timestamp,
            'x-webhook-signature': signWebhook(TEST_WEBHOOK_SECRET, timestamp, raw),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => request.end(raw), 300);
    });
    expect(status).toBe(200);
    // The 300 ms the body took to come are inside the figure: it starts when the request does.
    // Not quite all of them: the client's 300 ms start before the server has read the headers,
    // which a busy event loop (the whole suite in parallel) can do a few ms late. A timer started
    // inside the handler counted 3 ms.
    expect((await sum()) - before).toBeGreaterThanOrEqual(0.25);
  });
});

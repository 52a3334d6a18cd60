import { createTask, mintStreamToken } from '../factories/tasks';
import { openStream } from '../utils/sse-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';
import { postWebhook } from '../utils/webhook-client';
import { metricValue } from '../utils/metric-value';

const alice = userToken({ sub: 'alice', orgs: ['acme'] });

describe('operations', () => {
  let gateway: TestApp;
  beforeAll(async () => {
    // Words 300 ms apart: the stream is open before the last ones are stored, so some deliveries
    // are live (the ingest-to-delivery histogram times only those).
    gateway = await startTestApp({ METRICS_TOKEN: 'scrape-me', ECHO_DELAY_MS: '300' });
  });
  afterAll(() => gateway.close());

  it('answers liveness and readiness without a token', async () => {
    expect(await (await fetch(`${gateway.baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { info: unknown }).info).toEqual({
      storage: { status: 'up' },
      bus: { status: 'up' },
    });
  });

  it('exports the stream metrics, behind METRICS_TOKEN when it is set', async () => {
    expect((await fetch(`${gateway.baseUrl}/metrics`)).status).toBe(401);
    const task = await createTask(gateway.baseUrl, alice, 'acme', 'echo', 'count these four');
    const { streamUrl } = await mintStreamToken(gateway.baseUrl, alice, 'acme', 'echo', task.id);
    const stream = openStream(`${gateway.baseUrl}${streamUrl}`);
    await stream.closed;
    const scrape = await fetch(`${gateway.baseUrl}/metrics`, { headers: bearer('scrape-me') });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    // submitted + working + 3 words + completed, all stored and all delivered to the one stream
    expect(metricValue(text, 'gateway_events_ingested_total')).toBe(6);
    expect(metricValue(text, 'gateway_events_delivered_total')).toBe(6);
    expect(metricValue(text, 'gateway_active_streams')).toBe(0);
    // Only live deliveries are timed: events replayed from the store were not waiting on ingest.
    const timed = metricValue(text, 'gateway_ingest_to_delivery_seconds_count');
    expect(timed).toBeGreaterThanOrEqual(1);
    expect(timed).toBeLessThanOrEqual(6);
    expect(metricValue(text, 'gateway_pruned_rows_total')).toBe(0);
    expect(text).toContain('gateway_webhook_duration_seconds_bucket');
  });

  it('answers junk on every route with a 4xx JSON error, never a 5xx', async () => {
    const task = await createTask(gateway.baseUrl, alice, 'acme', 'echo', 'x');
    const root = `/agent-to-agent/acme/echo/tasks`;
    const junkBodies = [
      '',
      'null',
      '[]',
      '"text"',
      '{"message":null}',
      '{"message":{"role":"ROLE_USER","parts":[null]}}',
      '{"message":{"parts":"x"}}',
      '{"__proto__":{"polluted":1}}',
      '\u0000\u0001',
      '{"a":'.repeat(50),
    ];
    const routes: [string, string][] = [
      ['POST', root],
      ['GET', `${root}?limit=abc&state=nope`],
      ['GET', `${root}/${task.id}x`],
      ['GET', `${root}/../../etc/passwd`],
      ['POST', `${root}/${task.id}/cancel`],
      ['POST', `${root}/%00/stream-token`],
      ['GET', `${root}/${task.id}/stream?lastEventId=-1`],
      ['GET', `${root}/${task.id}/messages?after=x&limit=0`],
    ];
    const statuses: string[] = [];
    for (const [method, path] of routes) {
      for (const body of method === 'POST' ? junkBodies : ['']) {
        const response = await fetch(`${gateway.baseUrl}${path}`, {
          method,
          headers: {
            ...bearer(alice),
            ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          },
          body: method === 'POST' ? body : undefined,
        });
        const text = await response.text();
        statuses.push(`${response.status} ${method} ${path}`);
        if (response.status >= 400)
          expect((JSON.parse(text) as { error: { code: string } }).error.code).toEqual(
            expect.any(String),
          );
      }
    }
    for (const body of junkBodies) {
      const reply = await postWebhook(gateway.baseUrl, undefined, { raw: body });
      statuses.push(`${reply.status} webhook ${body.slice(0, 10)}`);
      statuses.push(
        `${(await postWebhook(gateway.baseUrl, undefined, { raw: body, batch: true })).status} batch`,
      );
    }
    expect(statuses.filter((s) => Number(s.slice(0, 3)) >= 500)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${gateway.baseUrl}/health/live`)).status).toBe(200);
  });
});

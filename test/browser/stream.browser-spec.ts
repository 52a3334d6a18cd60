import { type Browser, chromium, type Page, type Response } from 'playwright-core';
import { splitWords } from '../../src/modules/tasks/echo/echo-agent';
import { StreamHub } from '../../src/modules/streaming/stream-hub';
import { createTask, mintStreamToken } from '../factories/tasks';
import { startTestApp, type TestApp } from '../utils/test-app';
import { bearer, userToken } from '../utils/tokens';
import { type PageState, servePage } from './stream-page';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOT = '/tmp/a2a-gateway-stream.browser.png';

/** One request the browser made for the stream, as the network saw it. */
interface StreamRequest {
  lastEventId: string | undefined;
  origin: string | undefined;
  status: number;
  allowOrigin: string | undefined;
}

describe('a browser watches a task stream (headless Chromium, real EventSource)', () => {
  let gateway: TestApp;
  let pageServer: Awaited<ReturnType<typeof servePage>>;
  let browser: Browser;
  const alice = userToken({ sub: 'alice', orgs: ['acme'] });

  beforeAll(async () => {
    // 40 ms a word leaves time to drop the connection mid-stream; a 200 ms retry hint keeps
    // the browser's reconnect quick.
    gateway = await startTestApp({ ECHO_DELAY_MS: '40', SSE_RETRY_MS: '200' });
    pageServer = await servePage();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await pageServer?.close();
    await gateway?.close();
  });

  const stateOf = (page: Page): Promise<PageState> =>
    page.evaluate(() => (globalThis as unknown as { streamState: PageState }).streamState);

  it('renders the streamed text, reconnects by itself after a server-side drop and ends with every chunk once', async () => {
    const text =
      'Streams reach people in order: every chunk once, across a dropped connection, ' +
      'because the browser resends the id of the last event it got and the gateway ' +
      'replays what came after it.';
    const words = splitWords(text);
    const task = await createTask(gateway.baseUrl, alice, 'acme', 'echo', text);
    const { streamUrl } = await mintStreamToken(gateway.baseUrl, alice, 'acme', 'echo', task.id);
    expect(streamUrl).toContain('?token=');

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const streamResponses: Response[] = [];
    page.on('response', (response) => {
      if (response.url().includes(`/tasks/${task.id}/stream`)) streamResponses.push(response);
    });

    const streamHref = `${gateway.baseUrl}${streamUrl}`;
    await page.goto(`${pageServer.origin}/?stream=${encodeURIComponent(streamHref)}`);

    // Mid-stream: a few words shown, most still to come. The server drops the connection.
    await page.waitForFunction(
      () => (globalThis as unknown as { streamState: PageState }).streamState.chunks.length >= 5,
    );
    expect(gateway.app.get(StreamHub).endStreams(task.id)).toBe(1);
    expect((await stateOf(page)).done).toBe(false);

    await page.waitForFunction(
      () => (globalThis as unknown as { streamState: PageState }).streamState.done,
      undefined,
      { timeout: 30_000 },
    );
    // After COMPLETED the server ends the stream; the browser's next reconnect gets 204 and
    // its EventSource stops for good instead of reconnecting forever.
    await page.waitForFunction(
      () => (globalThis as unknown as { streamState: PageState }).streamState.readyState === 2,
    );

    const state = await stateOf(page);
    expect(await page.textContent('#text')).toBe(text);
    expect(state.chunks.map((c) => c.text).join('')).toBe(text);
    expect(state.chunks).toHaveLength(words.length);
    // Ids one after the other: no chunk lost, none repeated, in order.
    const ids = state.chunks.map((c) => c.id);
    expect(ids).toEqual(ids.map((_, i) => ids[0] + i));
    expect(state.opens).toBe(2);
    const beforeDrop = state.chunks.filter((c) => c.connection === 1);
    const afterDrop = state.chunks.filter((c) => c.connection === 2);
    expect(beforeDrop.length).toBeGreaterThanOrEqual(5);
    expect(afterDrop.length).toBeGreaterThan(0);
    expect(await page.textContent('#status')).toBe('done');
    expect(pageErrors).toEqual([]);

    // What went over the wire: cross-origin requests answered with CORS; the reconnect carried
    // Last-Event-ID = the last event before the drop, and the stream resumed right after it;
    // the reconnect after completion carried the terminal id and got 204.
    const requests: StreamRequest[] = await Promise.all(
      streamResponses.map(async (response) => {
        const sent = await response.request().allHeaders();
        return {
          lastEventId: sent['last-event-id'],
          origin: sent.origin,
          status: response.status(),
          allowOrigin: (await response.allHeaders())['access-control-allow-origin'],
        };
      }),
    );
    expect(requests.map((r) => r.status)).toEqual([200, 200, 204]);
    expect(requests.map((r) => r.origin)).toEqual(Array(3).fill(pageServer.origin));
    expect(requests.map((r) => r.allowOrigin)).toEqual(['*', '*', '*']);
    expect(requests.map((r) => r.lastEventId)).toEqual([
      undefined,
      String(beforeDrop[beforeDrop.length - 1].id),
      String(await lastStoredId(task.id)),
    ]);
    expect(afterDrop[0].id).toBe(beforeDrop[beforeDrop.length - 1].id + 1);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  /** The id of the task's last stored event, as the polling endpoint reports it. */
  async function lastStoredId(taskId: string): Promise<number> {
    const response = await fetch(
      `${gateway.baseUrl}/agent-to-agent/acme/echo/tasks/${taskId}/messages?after=0&limit=1000`,
      { headers: bearer(alice) },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { events: { id: number }[] };
    return body.events[body.events.length - 1].id;
  }
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhook } from '../../../../libs/contracts/src';
import { loadConfig } from '../../../config/app-config';
import { DispatchFailed, WorkerClient } from './worker-client';

const SECRET = 'worker-client-spec-secret';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real worker endpoint on 127.0.0.1 whose answer to each request the test decides. */
async function startWorker(
  answer: (res: ServerResponse, index: number) => void,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (body += part));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      answer(res, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/tasks`, received, server };
}

function clientWith(settings: Record<string, string>): WorkerClient {
  return new WorkerClient(
    loadConfig({
      JWT_SECRET: 'worker-client-spec-jwt',
      WEBHOOK_SECRET: SECRET,
      DISPATCH_BACKOFF_MS: '1',
      ...settings,
    }),
  );
}

describe('WorkerClient', () => {
  const servers: Server[] = [];
  const clients: WorkerClient[] = [];
  const worker = async (answer: (res: ServerResponse, index: number) => void) => {
    const started = await startWorker(answer);
    servers.push(started.server);
    return started;
  };
  const client = (settings: Record<string, string> = {}) => {
    const made = clientWith(settings);
    clients.push(made);
    return made;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.onApplicationShutdown()));
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('POSTs the body signed with the first webhook secret, with the caller headers', async () => {
    const { url, received } = await worker((res) => res.end('{}'));

    await client().post(url, { id: 't-1' }, { 'x-gateway-event': 'task.created' });

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received;
    expect(JSON.parse(body)).toEqual({ id: 't-1' });
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-gateway-event']).toBe('task.created');
    const timestamp = headers['x-webhook-timestamp'] as string;
    expect(headers['x-webhook-signature']).toBe(signWebhook(SECRET, timestamp, body));
  });

  it('retries an answer other than 2xx and stops at the first 2xx', async () => {
    const { url, received } = await worker((res, index) => {
      res.statusCode = index < 2 ? 503 : 202;
      res.end('busy or accepted');
    });

    await client({ DISPATCH_MAX_ATTEMPTS: '5' }).post(url, { id: 't-2' }, {});

    expect(received).toHaveLength(3);
  });

  it('gives up after the configured attempts, naming the last answer', async () => {
    const { url, received } = await worker((res) => {
      res.statusCode = 500;
      res.end();
    });

    const failure = client({ DISPATCH_MAX_ATTEMPTS: '3' }).post(url, { id: 't-3' }, {});

    await expect(failure).rejects.toThrow(new DispatchFailed('3 attempts, last: HTTP 500'));
    expect(received).toHaveLength(3);
  });

  it('counts a worker that never answers as a timed-out attempt', async () => {
    const { url, received } = await worker(() => undefined);

    const failure = client({ DISPATCH_MAX_ATTEMPTS: '2', DISPATCH_TIMEOUT_MS: '200' }).post(
      url,
      { id: 't-4' },
      {},
    );

    await expect(failure).rejects.toThrow('2 attempts, last: no answer within 200 ms');
    expect(received).toHaveLength(2);
  });

  it('names the network error when nothing listens', async () => {
    const { url, server } = await worker((res) => res.end());
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const failure = client({ DISPATCH_MAX_ATTEMPTS: '2' }).post(url, { id: 't-5' }, {});

    await expect(failure).rejects.toThrow(/2 attempts, last: .*ECONNREFUSED/);
  });

  it('stops at once when the caller aborts, without another attempt', async () => {
    const { url, received } = await worker((res) => {
      res.statusCode = 503;
      res.end();
    });
    const abort = new AbortController();
    const posting = client({ DISPATCH_MAX_ATTEMPTS: '5', DISPATCH_BACKOFF_MS: '60000' }).post(
      url,
      { id: 't-6' },
      {},
      abort.signal,
    );
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (received.length === 0) return;
        clearInterval(poll);
        resolve();
      }, 5);
    });

    abort.abort();

    await expect(posting).rejects.toMatchObject({ name: 'AbortError' });
    expect(received).toHaveLength(1);
  });
});

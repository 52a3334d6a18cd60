import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { bodyChunks } from '../../../test/utils/chunked-response';
import type { StoredEvent } from '../task-messages/stored-event';
import { StreamSubscriber } from './stream-subscriber';

/** A real response on a real socket; the client keeps the raw bytes, chunk framing included. */
interface Wire {
  response: ServerResponse;
  /** The body's chunks as the chunked encoding framed them, one per `response.write`. */
  chunks(): string[];
  ended(): boolean;
  closeClient(): void;
}

let server: Server;
let pending: ((response: ServerResponse) => void)[] = [];
const clients: Socket[] = [];

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    pending.shift()?.(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const socket of clients) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function openWire({ reading = true } = {}): Promise<Wire> {
  const response = new Promise<ServerResponse>((resolve) => pending.push(resolve));
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  let raw = '';
  socket.setEncoding('latin1');
  if (reading) socket.on('data', (text: string) => (raw += text));
  socket.write('GET / HTTP/1.1\r\nhost: test\r\n\r\n');
  const opened = await response;
  return {
    response: opened,
    chunks: () => bodyChunks(raw),
    ended: () => raw.endsWith('\r\n0\r\n\r\n'),
    closeClient: () => socket.destroy(),
  };
}

function event(id: number, terminal = false): StoredEvent {
  return { taskId: 't1', id, event: 'artifact-update', data: `{"n":${id}}`, terminal };
}

const frame = (id: number) => `id: ${id}\nevent: artifact-update\ndata: {"n":${id}}\n\n`;

function subscriber(response: ServerResponse, delivered: number[] = []): StreamSubscriber {
  return new StreamSubscriber({
    taskId: 't1',
    lastId: 0,
    response,
    maxBufferedBytes: 1024 * 1024,
    onDelivered: (e) => delivered.push(e.id),
  });
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('StreamSubscriber', () => {
  afterEach(() => {
    pending = [];
  });

  it('sends the events it holds while corked in one write, in order', async () => {
    const wire = await openWire();
    const delivered: number[] = [];
    const s = subscriber(wire.response, delivered);
    s.deliver(event(1));
    await settle();
    expect(s.cork()).toBe(true);
    expect(s.cork()).toBe(false);
    s.deliver(event(2));
    s.deliver(event(3));
    s.deliver(event(2));
    await settle();
    expect(wire.chunks()).toEqual([frame(1)]);
    s.uncork();
    // Handed to the kernel now, not on the next tick behind whatever else this turn writes.
    expect(wire.response.socket?.writableLength).toBe(0);
    await settle();
    expect(wire.chunks()).toEqual([frame(1), frame(2) + frame(3)]);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('writes a terminal event it holds before ending the stream', async () => {
    const wire = await openWire();
    const s = subscriber(wire.response);
    s.cork();
    s.deliver(event(1));
    s.deliver(event(2, true));
    s.uncork();
    await settle();
    expect(wire.chunks()).toEqual([frame(1) + frame(2)]);
    expect(wire.ended()).toBe(true);
    expect(s.closed).toBe(true);
  });

  it('drops what it holds when the client goes away meanwhile', async () => {
    const wire = await openWire();
    const errors: unknown[] = [];
    wire.response.on('error', (error) => errors.push(error));
    const s = subscriber(wire.response);
    s.cork();
    s.deliver(event(1));
    wire.closeClient();
    await new Promise<void>((resolve) => s.onClose(resolve));
    expect(() => s.uncork()).not.toThrow();
    await settle();
    expect(errors).toEqual([]);
  });

  it('ends a stream whose client reads too slowly once the held batch is written', async () => {
    const wire = await openWire({ reading: false });
    const s = subscriber(wire.response);
    const big = (id: number): StoredEvent => ({ ...event(id), data: 'x'.repeat(64 * 1024) });
    let id = 0;
    // Socket buffers take a few MB before the response has to keep anything itself.
    while (!s.closed && id < 2000) {
      s.cork();
      for (let k = 0; k < 10; k++) s.deliver(big(++id));
      expect(s.closed).toBe(false);
      s.uncork();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(s.closed).toBe(true);
    expect(id).toBeLessThan(2000);
  });
});

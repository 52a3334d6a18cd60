// The SSE write path alone: one commit's events handed to open streams, as the gateway's
// StreamSubscriber writes them (its batch held and written once), against the same events written
// one `response.write` each under the response's own cork (what the subscriber did before), in the
// same run. Real sockets: an http server in this process and raw TCP clients that read and count
// what arrives. The figure is this process's CPU per event, both sides (server and clients)
// included, so a saving shows smaller here than in the gateway alone.
//   npm run build && npx tsx bench/sse-writes.ts [--streams 100] [--events 10] [--rounds 4000]
// --events is how many of one commit's events go to each stream: 10 is bench e's batch, 1 is d.
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { flagValue } from './lib/cli-options';

interface Event {
  taskId: string;
  id: number;
  event: string;
  data: string;
  terminal: boolean;
}
interface Subscriber {
  cork(): boolean;
  uncork(): void;
  deliver(event: Event): void;
}

// The built gateway (`npm run build`), as bench/run.ts starts it.
const load = createRequire(__filename);
const dist = (path: string) => load(`../dist/src/${path}`) as Record<string, unknown>;
const { StreamSubscriber } = dist('modules/streaming/stream-subscriber') as {
  StreamSubscriber: new (options: object) => Subscriber;
};
const { sseFrame } = dist('modules/task-messages/stored-event') as {
  sseFrame: (event: Event) => string;
};
const { artifactUpdateJson } = dist('modules/task-messages/stream-payloads') as {
  artifactUpdateJson: (
    ...args: [string, string, string, string, boolean, boolean, number]
  ) => string;
};

const flag = (name: string, fallback: number) => Number(flagValue(process.argv, name) ?? fallback);
const STREAMS = flag('--streams', 100);
const EVENTS = flag('--events', 10);
const ROUNDS = flag('--rounds', 4000);
/** Alternating slices per side: the host's speed drifts, so each side gets every part of the run. */
const SLICES = 8;

interface Stream {
  response: ServerResponse;
  subscriber: Subscriber;
  lastId: number;
}

async function openStreams(): Promise<{
  streams: Stream[];
  received: () => number;
  close: () => void;
}> {
  const responses: ServerResponse[] = [];
  let opened: () => void = () => undefined;
  const allOpen = new Promise<void>((resolve) => (opened = resolve));
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    if (responses.push(response) === STREAMS) opened();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let bytes = 0;
  const clients: Socket[] = [];
  for (let i = 0; i < STREAMS; i++) {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'),
    );
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    clients.push(socket);
  }
  await allOpen;
  const streams = responses.map((response, i) => ({
    response,
    lastId: 0,
    subscriber: new StreamSubscriber({
      taskId: `task-${i}`,
      lastId: 0,
      response,
      maxBufferedBytes: 64 * 1024 * 1024,
      onDelivered: () => undefined,
    }),
  }));
  return {
    streams,
    received: () => bytes,
    close: () => {
      for (const socket of clients) socket.destroy();
      server.close();
    },
  };
}

function nextEvent(stream: Stream, index: number): Event {
  const id = ++stream.lastId;
  const taskId = `0b7a3f0e-8f1c-4c41-9a53-5f4f6c0e${String(index).padStart(4, '0')}`;
  const text = `t:${performance.now().toFixed(3)}`;
  const data = artifactUpdateJson(taskId, 'c1', 'a1', text, true, false, id);
  return { taskId, id, event: 'artifact-update', data, terminal: false };
}

/** What the subscriber does with a commit's events: hold them and write once. */
function throughSubscriber(streams: Stream[]): void {
  streams.forEach((stream, i) => {
    stream.subscriber.cork();
    for (let k = 0; k < EVENTS; k++) stream.subscriber.deliver(nextEvent(stream, i));
    stream.subscriber.uncork();
  });
}

/** The same events, one write each under the response's cork. */
function writePerEvent(streams: Stream[]): void {
  streams.forEach((stream, i) => {
    stream.response.cork();
    for (let k = 0; k < EVENTS; k++) stream.response.write(sseFrame(nextEvent(stream, i)));
    stream.response.uncork();
  });
}

/** CPU µs per event of `rounds` commits, each followed by a turn of the event loop. */
async function cpuPerEvent(write: (streams: Stream[]) => void, streams: Stream[], rounds: number) {
  const started = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    write(streams);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / (rounds * streams.length * EVENTS);
}

async function main(): Promise<void> {
  const { streams, received, close } = await openStreams();
  const sides = { subscriber: throughSubscriber, 'write per event': writePerEvent };
  const figures: Record<string, number[]> = { subscriber: [], 'write per event': [] };
  const slice = Math.ceil(ROUNDS / SLICES);
  await cpuPerEvent(throughSubscriber, streams, slice); // warm-up, both paths share most code
  await cpuPerEvent(writePerEvent, streams, slice);
  for (let s = 0; s < SLICES; s++) {
    const order =
      s % 2 === 0
        ? (['subscriber', 'write per event'] as const)
        : (['write per event', 'subscriber'] as const);
    for (const side of order) figures[side].push(await cpuPerEvent(sides[side], streams, slice));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const sent = streams.reduce((n, s) => n + s.lastId, 0);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `${STREAMS} streams, ${EVENTS} events per stream per commit, ${ROUNDS} commits a side`,
  );
  for (const side of Object.keys(figures)) {
    const xs = figures[side];
    console.log(
      `${side.padEnd(16)} ${mean(xs).toFixed(2)} µs CPU per event (slices: ${xs.map((x) => x.toFixed(2)).join(' ')})`,
    );
  }
  console.log(
    `subscriber / write per event: x${(mean(figures.subscriber) / mean(figures['write per event'])).toFixed(2)}`,
  );
  console.log(
    `${sent} events written, ${(received() / 1e6).toFixed(1)} MB received by the clients`,
  );
  close();
}

void main();

// How long one /metrics scrape holds the event loop with many connections open: the gateway's
// registry (src/modules/metrics/metrics.ts) against prom-client's full default set, the baseline,
// in the same process with the same sockets. Every stream on the instance waits that long.
//   npx tsx bench/metrics-scrape.ts [--connections 10000] [--scrapes 7]
// Needs `npm run build` (loads the gateway's registry from dist/).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { flagValue } from './lib/cli-options';

interface GatewayMetrics {
  registry: Registry;
}

const load = createRequire(__filename);
const { Metrics } = load('../dist/src/modules/metrics/metrics') as {
  Metrics: new () => GatewayMetrics;
};

/**
 * The clients, in a child process: this process then holds one socket per connection, as a
 * gateway does per stream. They connect in groups so that the listen backlog never overflows.
 */
const CLIENTS = `
const { connect } = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
const sockets = [];
(async () => {
  for (let opened = 0; opened < count; opened += 200) {
    const group = Array.from({ length: Math.min(200, count - opened) }, () => connect(port, '127.0.0.1'));
    await Promise.all(group.map((s) => new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject))));
    sockets.push(...group);
  }
})();
`;

/** Opens `count` loopback connections; returns a function that closes them. */
async function openConnections(count: number): Promise<() => void> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => accepted.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const clients = spawn(process.execPath, ['-e', CLIENTS, String(port), String(count)], {
    stdio: 'inherit',
  });
  while (accepted.length < count) {
    if (clients.exitCode !== null) throw new Error(`the clients exited (${clients.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  server.close();
  return () => {
    clients.kill();
    for (const socket of accepted) socket.destroy();
  };
}

/** Median milliseconds of `scrapes` scrapes, each measured around the synchronous part as well. */
async function scrapeMs(registry: Registry, scrapes: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < scrapes; i++) {
    const started = performance.now();
    await registry.metrics();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const connections = Number(flagValue(args, '--connections') ?? 10_000);
  const scrapes = Number(flagValue(args, '--scrapes') ?? 7);
  const baseline = new Registry();
  collectDefaultMetrics({ register: baseline });
  const gateway = new Metrics().registry;

  const rows: string[] = [];
  const measure = async (label: string): Promise<void> => {
    const base = await scrapeMs(baseline, scrapes);
    const ours = await scrapeMs(gateway, scrapes);
    rows.push(
      `${label.padEnd(28)} ${base.toFixed(2).padStart(10)} ${ours.toFixed(2).padStart(10)}` +
        `   x${(ours / base).toFixed(2)}`,
    );
  };
  await measure('no extra connections');
  const close = await openConnections(connections);
  await measure(`${connections} connections`);
  close();

  process.stdout.write(
    `median of ${scrapes} scrapes, ms          baseline    gateway   gateway/baseline\n` +
      `(baseline: prom-client's collectDefaultMetrics; gateway: src/modules/metrics/metrics.ts)\n` +
      `${rows.join('\n')}\n` +
      `reproduce: npx tsx bench/metrics-scrape.ts --connections ${connections} --scrapes ${scrapes}\n`,
  );
}

void main();

// How fast this host is, and whether its two cores run independently, measured before the
// scenarios: the same gateway code did d at 5,645 chunks/s on one session's host and 18,467 on
// another's, and on the slow one two CPU-bound loops slowed each other down (shared physical
// cores, or a busy host). The run prints this beside the load average and keeps it in the JSON,
// so a reader can tell a slow host from a slow gateway.
import { Worker } from 'node:worker_threads';

/** A fixed integer loop in its own thread: about 0.3 s on the hosts seen so far. */
const LOOP = `
const { parentPort } = require('node:worker_threads');
const started = process.hrtime.bigint();
let x = 0;
for (let i = 0; i < 100_000_000; i++) x = (x + i * 7) % 1_000_003;
parentPort.postMessage({ ms: Number(process.hrtime.bigint() - started) / 1e6, x });
`;

/** Two loops at once taking this much longer than one alone: the cores are not independent. */
const SHARED_CORES_SLOWDOWN = 1.1;

export interface HostCheck {
  /** The loop alone, best of two. */
  aloneMs: number;
  /** Two copies at once, each one's time. */
  togetherMs: [number, number];
}

function loopOnce(): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOOP, { eval: true });
    worker.once('message', (message: { ms: number }) => {
      resolve(message.ms);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export async function checkHost(): Promise<HostCheck> {
  const alone = Math.min(await loopOnce(), await loopOnce());
  const [a, b] = await Promise.all([loopOnce(), loopOnce()]);
  return { aloneMs: alone, togetherMs: [a, b] };
}

/** Two loops' slowdown against one alone: 1 when the cores are independent. */
export function slowdown(check: HostCheck): number {
  return Math.max(...check.togetherMs) / check.aloneMs;
}

export function formatHostCheck(check: HostCheck): string {
  const factor = slowdown(check);
  const verdict =
    factor > SHARED_CORES_SLOWDOWN
      ? `x${factor.toFixed(2)} slower together: the cores are not independent here (shared, or a busy host), and figures are lower than on a host whose cores are`
      : 'the cores run independently';
  const ms = (value: number): string => `${Math.round(value)} ms`;
  return `CPU loop: ${ms(check.aloneMs)} alone, ${check.togetherMs.map(ms).join(' and ')} two at once (${verdict})`;
}

// How fast this host is, and whether its two cores run independently, measured before the
// scenarios: the same gateway code did d at 5,645 chunks/s on one session's host and 18,467 on
// another's, and on the slow one two CPU-bound loops slowed each other down (shared physical
// cores, or a busy host). The run prints this beside the load average and keeps it in the JSON,
// so a reader can tell a slow host from a slow gateway.
import { closeSync, openSync, writeSync } from 'node:fs';
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

/** Writes timed for the system-call cost. */
const SYSCALLS = 20_000;

export interface HostCheck {
  /** The loop alone, best of two. */
  aloneMs: number;
  /** Two copies at once, each one's time. */
  togetherMs: [number, number];
  /**
   * One system call from Node, in microseconds: a 1-byte write to /dev/null, best of three runs.
   * The gateway makes about four per chunk (the request's read, the answer's and the stream's
   * writes, a share of the database's), the baseline three. Session 11's host, a PVM guest with
   * page-table isolation on and no PCID, took 2.1-2.9 µs, several times a bare host's, while its CPU
   * loop was only a third slower than session 8's.
   */
  syscallUs: number;
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

function syscallOnce(): number {
  const fd = openSync('/dev/null', 'w');
  const byte = Buffer.alloc(1);
  const started = process.hrtime.bigint();
  for (let i = 0; i < SYSCALLS; i++) writeSync(fd, byte);
  const us = Number(process.hrtime.bigint() - started) / 1e3 / SYSCALLS;
  closeSync(fd);
  return us;
}

export async function checkHost(): Promise<HostCheck> {
  const alone = Math.min(await loopOnce(), await loopOnce());
  const [a, b] = await Promise.all([loopOnce(), loopOnce()]);
  const syscallUs = Math.min(syscallOnce(), syscallOnce(), syscallOnce());
  return { aloneMs: alone, togetherMs: [a, b], syscallUs };
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
  return (
    `CPU loop: ${ms(check.aloneMs)} alone, ${check.togetherMs.map(ms).join(' and ')} two at once (${verdict}); ` +
    `a system call: ${check.syscallUs.toFixed(2)} µs (a 1-byte write to /dev/null)`
  );
}

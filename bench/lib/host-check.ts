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

/**
 * The memory probe's table: 16 MB of 32-bit entries, four times the largest per-core L2 seen
 * here, so each load misses the core's caches and shows what the shared cache and memory give.
 */
const CHASE_ENTRIES = 4 * 1024 * 1024;
const CHASE_LOADS = 2_000_000;

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
  /**
   * One memory load that depends on the one before, at random over 16 MB, in nanoseconds (best of
   * two). The relay's working set is small and the gateway's is not (its heap, its code,
   * PostgreSQL's beside it), so far memory should cost the gateway more than the relay. Session
   * 13's host took 47-62 ns; there the gateway did d at x0.31 of the relay, where the same code had
   * done x0.41 on session 8's host (not probed) beside a relay about as fast.
   */
  memoryNs: number;
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

/** Follows a random cycle through the table (Sattolo's shuffle): no prefetcher can guess the next. */
function chaseOnce(): number {
  const next = new Int32Array(CHASE_ENTRIES);
  for (let i = 0; i < CHASE_ENTRIES; i++) next[i] = i;
  for (let i = CHASE_ENTRIES - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * i);
    const swap = next[i];
    next[i] = next[j];
    next[j] = swap;
  }
  let at = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < CHASE_LOADS; i++) at = next[at];
  const ns = Number(process.hrtime.bigint() - started) / CHASE_LOADS;
  // Read, so that the loop's result is used and the loads cannot be dropped.
  return at >= 0 ? ns : Number.NaN;
}

export async function checkHost(): Promise<HostCheck> {
  const alone = Math.min(await loopOnce(), await loopOnce());
  const [a, b] = await Promise.all([loopOnce(), loopOnce()]);
  const syscallUs = Math.min(syscallOnce(), syscallOnce(), syscallOnce());
  const memoryNs = Math.min(chaseOnce(), chaseOnce());
  return { aloneMs: alone, togetherMs: [a, b], syscallUs, memoryNs };
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
    `a system call: ${check.syscallUs.toFixed(2)} µs (a 1-byte write to /dev/null); ` +
    `a memory load: ${check.memoryNs.toFixed(1)} ns (dependent, at random over 16 MB)`
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import {
  readSchedTimes,
  runQueueWaitPercent,
  threadsOf,
  type RunQueueSnapshot,
} from './run-queue-wait';

describe('readSchedTimes', () => {
  it('reads a thread that had to wait as waiting longer than it ran', async () => {
    // Three busy loops on one core: each runs a third of the time and waits the rest.
    const loops: ChildProcess[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const loop = spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;);'], {
          stdio: 'ignore',
        });
        loops.push(loop);
        await once(loop, 'spawn');
      }
      await delay(600);
      for (const loop of loops) {
        const times = readSchedTimes(loop.pid ?? 0);
        expect(times).not.toBeNull();
        expect(times?.waitNs).toBeGreaterThan(times?.runNs ?? Infinity);
      }
    } finally {
      for (const loop of loops) loop.kill('SIGKILL');
    }
  });

  it('is null for a thread that is gone', () => {
    expect(readSchedTimes(2 ** 22 + 1)).toBeNull();
  });
});

describe('threadsOf', () => {
  it('lists the main thread and a worker started since', async () => {
    const before = threadsOf(process.pid);
    expect(before).toContainEqual([process.pid, process.pid]);
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    try {
      await once(worker, 'online');
      const after = threadsOf(process.pid).map(([, tid]) => tid);
      const known = new Set(before.map(([, tid]) => tid));
      expect(after.filter((tid) => !known.has(tid)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.terminate();
    }
  });

  it('is empty for a process that is gone', () => {
    expect(threadsOf(2 ** 22 + 1)).toEqual([]);
  });
});

describe('runQueueWaitPercent', () => {
  const snapshot = (groups: [string, [number, number][]][]): RunQueueSnapshot =>
    new Map(groups.map(([name, waits]) => [name, new Map(waits)]));

  it('sums each group over the threads seen in both snapshots, as a share of the interval', () => {
    const before = snapshot([
      ['server', [[10, 1e9]]],
      [
        'database',
        [
          [20, 0],
          [21, 5e6],
          [22, 7e6],
        ],
      ],
      ['generator', [[30, 0]]],
    ]);
    // Thread 22 ended, thread 23 started: neither counts. The generator's only thread is gone.
    const after = snapshot([
      ['server', [[10, 1e9 + 30e6]]],
      [
        'database',
        [
          [20, 10e6],
          [21, 15e6],
          [23, 50e6],
        ],
      ],
      ['generator', []],
    ]);
    expect(runQueueWaitPercent(before, after, 200)).toEqual({ server: 15, database: 10 });
  });
});

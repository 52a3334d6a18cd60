// How long threads waited for a core: the second field of /proc/PID/task/TID/schedstat, the
// nanoseconds a thread has spent runnable on a run queue but not running. On two cores shared by
// the gateway, PostgreSQL and the load generator, a request can wait there for milliseconds while
// the event loop has nothing to say about it: its lag timer is as late as everything else. The
// stall notes then read like the gateway's own pauses; this tells the two apart.
import { readdirSync, readFileSync } from 'node:fs';

/** Waiting time in ns of each thread watched, by who it is; a thread that has gone is left out. */
export type RunQueueSnapshot = Map<string, Map<number, number>>;

/** What to watch: a name for each group (`server`, `database`) and its threads as [pid, tid]. */
export type WatchedThreads = Map<string, [pid: number, tid: number][]>;

export interface SchedTimes {
  /** On a core so far. */
  runNs: number;
  /** Runnable but waiting for a core so far. */
  waitNs: number;
}

/** One thread's schedstat; null once it has gone or where the kernel keeps none. */
export function readSchedTimes(pid: number, tid = pid): SchedTimes | null {
  let schedstat: string;
  try {
    schedstat = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
  } catch {
    return null;
  }
  const [runNs, waitNs] = schedstat.split(' ').map(Number);
  return Number.isFinite(runNs) && Number.isFinite(waitNs) ? { runNs, waitNs } : null;
}

/** Every thread of a process as [pid, tid]; none once it has gone. */
export function threadsOf(pid: number): [pid: number, tid: number][] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => [pid, Number(tid)]);
  } catch {
    return [];
  }
}

export function runQueueSnapshot(watched: WatchedThreads): RunQueueSnapshot {
  const snapshot: RunQueueSnapshot = new Map();
  for (const [name, threads] of watched) {
    const waits = new Map<number, number>();
    for (const [pid, tid] of threads) {
      const times = readSchedTimes(pid, tid);
      if (times !== null) waits.set(tid, times.waitNs);
    }
    snapshot.set(name, waits);
  }
  return snapshot;
}

/**
 * Each group's waiting between two snapshots as a share of the interval, summed over its threads
 * (100 = one thread waiting throughout). Only threads seen in both count; a group with none is
 * left out.
 */
export function runQueueWaitPercent(
  before: RunQueueSnapshot,
  after: RunQueueSnapshot,
  intervalMs: number,
): Record<string, number> {
  const percent: Record<string, number> = {};
  for (const [name, waits] of after) {
    const earlier = before.get(name);
    let waitedNs = 0;
    let seen = 0;
    for (const [tid, waitNs] of waits) {
      const was = earlier?.get(tid);
      if (was === undefined) continue;
      waitedNs += waitNs - was;
      seen += 1;
    }
    if (seen > 0) percent[name] = (waitedNs / 1e6 / intervalMs) * 100;
  }
  return percent;
}

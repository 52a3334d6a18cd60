// The load generator's own stalls over the measured interval: its garbage-collection pauses and
// how late its event loop ran. A chunk that reaches the generator while it is stalled is stamped
// when the stall ends, so a generator pause shows up as server latency. Reported beside the
// figures so that a reader can tell the two apart (the generator holds 10,000 sockets in c, and
// on session 10's slow host its own scavenges took 2-20 ms).
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Stalls } from './result-types';

/** Loop delay is sampled by a timer this often; finer costs the generator more wake-ups. */
const LOOP_SAMPLE_MS = 5;

/** Starts watching; the returned function stops and returns what was seen since. */
export function watchGeneratorStalls(): () => Stalls {
  const stalls = { gcPauses: 0, gcTotalMs: 0, gcMaxMs: 0, loopDelayMaxMs: 0 };
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      stalls.gcPauses++;
      stalls.gcTotalMs += entry.duration;
      stalls.gcMaxMs = Math.max(stalls.gcMaxMs, entry.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loop.enable();
  return () => {
    loop.disable();
    gc.disconnect();
    // The histogram counts the whole wait of each sample, the expected interval included.
    stalls.loopDelayMaxMs = Math.max(0, loop.max / 1e6 - LOOP_SAMPLE_MS);
    return stalls;
  };
}

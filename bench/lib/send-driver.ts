// Drives the webhook sends of a scenario: at a fixed total rate, or as fast as `maxInFlight`
// allows. A task never has two requests in flight: like a worker that posts its chunks in turn and
// waits for each acknowledgement (a 2xx means "stored"), so its sequences reach the server in
// order. A task still waiting for an answer holds the next send back, so a server slower than the
// offered rate shows as sends leaving behind schedule (the report flags it), not as lost ordering.
// (Sending a task's chunks concurrently instead makes the gateway's reorder window the subject.)
import { performance } from 'node:perf_hooks';
import type { ChunkBodies } from './chunk-bodies';
import type { WebhookPublisher } from './webhook-publisher';

export interface DrivePlan {
  path: string;
  /** Number of sends; Infinity for "until durationMs". */
  sends: number;
  /** Sends per second over all tasks; Infinity for saturation. */
  ratePerSecond: number;
  maxInFlight: number;
  /** No send starts after this; paced scenarios get it as a safety bound. */
  durationMs: number;
}

export interface DriveResult {
  sends: number;
  chunks: number;
  failures: number;
  firstFailure: string;
  startedAt: number;
  /** When the last send was answered. */
  endedAt: number;
  /** Paced plans: how far the latest send left after its scheduled time (0 when on time). */
  maxScheduleLagMs: number;
}

export function drive(
  plan: DrivePlan,
  bodies: ChunkBodies,
  publisher: WebhookPublisher,
): Promise<DriveResult> {
  return new Promise((resolve) => {
    const taskBusy = new Uint8Array(bodies.tasks);
    const startedAt = performance.now();
    const result: DriveResult = {
      sends: 0,
      chunks: 0,
      failures: 0,
      firstFailure: '',
      startedAt,
      endedAt: startedAt,
      maxScheduleLagMs: 0,
    };
    const intervalMs = 1000 / plan.ratePerSecond;
    let inFlight = 0;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;

    const pump = (): void => {
      timer = null;
      const now = performance.now();
      if (now - startedAt >= plan.durationMs) stopped = true;
      while (!stopped && result.sends < plan.sends && inFlight < plan.maxInFlight) {
        const dueAt = startedAt + result.sends * intervalMs;
        if (dueAt > now) {
          timer = setTimeout(pump, dueAt - now);
          break;
        }
        const task = bodies.taskOf(result.sends);
        if (taskBusy[task] === 1) break; // resumed by that task's answer
        send(result.sends, task);
      }
      if ((stopped || result.sends >= plan.sends) && inFlight === 0) {
        if (timer !== null) clearTimeout(timer);
        resolve(result);
      }
    };

    const send = (index: number, task: number): void => {
      taskBusy[task] = 1;
      inFlight++;
      result.sends++;
      result.chunks += bodies.batchSize;
      const sentAt = performance.now();
      if (intervalMs > 0) {
        result.maxScheduleLagMs = Math.max(
          result.maxScheduleLagMs,
          sentAt - (startedAt + index * intervalMs),
        );
      }
      publisher.post(plan.path, bodies.build(index, sentAt), (status, errorBody) => {
        taskBusy[task] = 0;
        inFlight--;
        result.endedAt = performance.now();
        if (status < 200 || status >= 300) {
          result.failures++;
          if (result.firstFailure === '') result.firstFailure = `${status} ${errorBody}`;
        }
        if (timer === null) pump();
      });
    };

    pump();
  });
}

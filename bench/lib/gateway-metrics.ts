// The gateway's own view of the measured interval (its Prometheus /metrics), read before and
// after it: how many group-commit batches it took, how big they were and how long the database
// part took; and how long its garbage collector and event loop held it up (prom-client's default
// metrics, whose loop-lag histogram restarts at every read). The baseline has no /metrics and
// gets null.
import { httpRequest } from './http-json';
import type { Stalls } from './result-types';

export interface GatewayCounters {
  batches: number;
  events: number;
  commitSeconds: number;
  gcPauses: number;
  gcSeconds: number;
  /** The longest event-loop delay since the previous read of /metrics, resolution included. */
  loopLagMaxSeconds: number;
}

export interface IngestFigures {
  batches: number;
  meanBatchSize: number;
  meanCommitMs: number;
}

/** prom-client's default `eventLoopMonitoringPrecision`: each lag sample includes it. */
const LOOP_LAG_RESOLUTION_MS = 10;

export async function readGatewayCounters(port: number): Promise<GatewayCounters | null> {
  const answer = await httpRequest(undefined, port, 'GET', '/metrics', {}, null, 5000).catch(
    () => null,
  );
  if (answer?.status !== 200) return null;
  /** A metric's value summed over its label sets (the GC histogram has one per kind). */
  const value = (name: string): number | null => {
    const lines = [...answer.body.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))];
    return lines.length === 0 ? null : lines.reduce((sum, line) => sum + Number(line[1]), 0);
  };
  const batches = value('gateway_ingest_batch_size_count');
  const events = value('gateway_ingest_batch_size_sum');
  const commitSeconds = value('gateway_ingest_commit_seconds_sum');
  if (batches === null || events === null || commitSeconds === null) return null;
  return {
    batches,
    events,
    commitSeconds,
    gcPauses: value('nodejs_gc_duration_seconds_count') ?? 0,
    gcSeconds: value('nodejs_gc_duration_seconds_sum') ?? 0,
    loopLagMaxSeconds: value('nodejs_eventloop_lag_max_seconds') ?? 0,
  };
}

export function ingestBetween(
  before: GatewayCounters | null,
  after: GatewayCounters | null,
): IngestFigures | null {
  if (before === null || after === null) return null;
  const batches = after.batches - before.batches;
  if (batches <= 0) return null;
  return {
    batches,
    meanBatchSize: (after.events - before.events) / batches,
    meanCommitMs: ((after.commitSeconds - before.commitSeconds) * 1000) / batches,
  };
}

/** The gateway's GC pauses and longest event-loop delay between two reads (no longest pause:
 *  prom-client keeps GC durations in a histogram). */
export function serverStallsBetween(
  before: GatewayCounters | null,
  after: GatewayCounters | null,
): Stalls | null {
  if (before === null || after === null) return null;
  return {
    gcPauses: after.gcPauses - before.gcPauses,
    gcTotalMs: (after.gcSeconds - before.gcSeconds) * 1000,
    gcMaxMs: null,
    loopDelayMaxMs: Math.max(0, after.loopLagMaxSeconds * 1000 - LOOP_LAG_RESOLUTION_MS),
  };
}

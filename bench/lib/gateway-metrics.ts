// The gateway's own view of the measured interval (its Prometheus /metrics), read before and
// after it: how many group-commit batches it took, how big they were and how long the database
// part took; and how long its garbage collector and event loop held it up (prom-client's default
// metrics, whose loop-lag histogram restarts at every read); and the p99 of each stage a chunk
// passes inside the gateway, from its latency histograms, so that a run's tail can be told apart
// from time spent outside the gateway (socket queues, waiting for a core, the generator). The
// baseline has no /metrics and gets null.
import { httpRequest } from './http-json';
import type { Stalls } from './result-types';

/** The gateway's latency histograms, by the stage of a chunk's way that each one times. */
const STAGE_HISTOGRAMS = {
  /** A webhook request, from its arrival to its answer (before session 13: inside the handler). */
  request: 'gateway_webhook_duration_seconds',
  /** One group commit: the database part of the request. */
  commit: 'gateway_ingest_commit_seconds',
  /** From the commit's end to the event's write on its stream. */
  toStream: 'gateway_ingest_to_delivery_seconds',
} as const;

export type Stage = keyof typeof STAGE_HISTOGRAMS;
const STAGES = Object.keys(STAGE_HISTOGRAMS) as Stage[];

/** A histogram's cumulative bucket counts, by upper bound in seconds (the last is +Inf). */
export interface Buckets {
  bounds: number[];
  counts: number[];
}

export interface StageTail {
  /** Observations in the interval. */
  count: number;
  /** The 99th percentile, interpolated in its bucket as Prometheus' histogram_quantile does. */
  p99Ms: number;
  /** The percentile lies past the last finite bucket: p99Ms is that bound, the least it is. */
  atLeast: boolean;
}

export type StageTails = Record<Stage, StageTail | null>;

export interface GatewayCounters {
  batches: number;
  events: number;
  commitSeconds: number;
  gcPauses: number;
  gcSeconds: number;
  /** The longest event-loop delay since the previous read of /metrics, resolution included. */
  loopLagMaxSeconds: number;
  stages: Record<Stage, Buckets | null>;
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
    stages: Object.fromEntries(
      STAGES.map((stage) => [stage, buckets(answer.body, STAGE_HISTOGRAMS[stage])]),
    ) as Record<Stage, Buckets | null>,
  };
}

/** A histogram's `_bucket` lines, in the order prom-client writes them (ascending bounds). */
function buckets(page: string, name: string): Buckets | null {
  const lines = [...page.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))];
  if (lines.length === 0) return null;
  return {
    bounds: lines.map((line) => (line[1] === '+Inf' ? Infinity : Number(line[1]))),
    counts: lines.map((line) => Number(line[2])),
  };
}

/** The p99 of each stage over the interval between two reads. */
export function stageTailsBetween(
  before: GatewayCounters | null,
  after: GatewayCounters | null,
): StageTails | null {
  if (before === null || after === null) return null;
  const tail = (stage: Stage): StageTail | null => {
    const from = before.stages[stage];
    const to = after.stages[stage];
    if (from === null || to === null || from.bounds.length !== to.bounds.length) return null;
    return p99(
      to.bounds,
      to.counts.map((count, i) => count - from.counts[i]),
    );
  };
  return Object.fromEntries(STAGES.map((stage) => [stage, tail(stage)])) as StageTails;
}

/**
 * Prometheus' histogram_quantile(0.99): the bucket holding the 99th percentile, and a linear guess
 * inside it (from 0 for the first). Past the last finite bound only that bound is known.
 */
export function p99(bounds: number[], cumulative: number[]): StageTail | null {
  const count = cumulative[cumulative.length - 1] ?? 0;
  if (count <= 0) return null;
  const rank = 0.99 * count;
  const i = cumulative.findIndex((c) => c >= rank);
  if (bounds[i] === Infinity) {
    return i === 0 ? null : { count, p99Ms: bounds[i - 1] * 1000, atLeast: true };
  }
  const lower = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : cumulative[i - 1];
  const inBucket = cumulative[i] - below;
  const seconds = lower + ((bounds[i] - lower) * (rank - below)) / inBucket;
  return { count, p99Ms: seconds * 1000, atLeast: false };
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

// What one scenario run against one target yields; this is also the shape of the JSON results.
import type { IngestFigures, StageTails } from './gateway-metrics';
import type { LatencySummary } from './sample-buffer';
import type { ScenarioId } from './scenarios';
import type { Storage, TargetName } from './targets';

/** A process's pauses over the measured interval: the generator's, and the gateway's. */
export interface Stalls {
  gcPauses: number;
  gcTotalMs: number;
  /** The longest GC pause, where it is known (not from the gateway's /metrics histogram). */
  gcMaxMs: number | null;
  /** The longest its event loop ran late, GC pauses included. */
  loopDelayMaxMs: number;
}

/** Latency and rate of a window of consecutive sequences of the long stream (scenario f). */
export interface WindowFigures {
  fromSequence: number;
  toSequence: number;
  latencyMs: LatencySummary | null;
  chunksPerSecond: number;
}

export interface Measurement {
  latencyMs: LatencySummary | null;
  /** Distinct (stream, sequence) pairs received as artifact-update events. */
  delivered: number;
  /** Chunks the publisher sent (each once per subscribed stream). */
  expected: number;
  duplicates: number;
  outOfOrder: number;
  /** SSE ids that did not increase on a stream. */
  idRegressions: number;
  /** Events other than artifact-update (e.g. the replayed TASK_STATE_SUBMITTED status-update). */
  otherEvents: number;
  /** artifact-update events whose data lacked metadata.sequence or the `t:` send time. */
  malformed: number;
  firstMalformed: string;
  webhookRequests: number;
  webhookFailures: number;
  firstWebhookFailure: string;
  streamsOpened: number;
  streamsRefused: number;
  firstStreamRefusal: string;
  streamsClosedByServer: number;
  /** Delivered chunks / (last delivery − first send). */
  chunksPerSecond: number;
  /** Answered webhook requests / (last answer − first send). */
  requestsPerSecond: number;
  /** Paced scenarios: how far behind its schedule a send left at worst (a task waits for the
   *  answer to its previous chunk, so a slow server delays sends rather than piling them up). */
  scheduleLagMs: number | null;
  peakRssMb: number;
  /** Server utime+stime over the measured interval / its wall time (100 = one core). */
  serverCpuPercent: number;
  /** Same for all `postgres` processes on the machine (postgres storage only). */
  dbCpuPercent: number | null;
  /** dbCpuPercent split by what the processes do (backends, autovacuum, wal writer, ...). */
  dbCpuByRole: Record<string, number> | null;
  /** The load generator's own CPU over the same interval (100 = one core). */
  generatorCpuPercent: number;
  /** The load generator's GC pauses and event-loop lateness over the interval (lib/generator-stalls). */
  generatorStalls: Stalls | null;
  /** The same for the gateway, from its /metrics (baseline: null). */
  serverStalls: Stalls | null;
  /** How long the server's threads, the database's backends and the generator's main thread
   *  waited for a core, as a share of the interval (lib/run-queue-wait); empty where the kernel
   *  keeps no schedstat. */
  runQueueWaitPercent: Record<string, number>;
  /** The machine's cores idle over the interval, as a share of all their time (100 = every core
   *  idle throughout): what a saturation row leaves of the rate its CPU per chunk would allow. */
  coresIdlePercent: number | null;
  measuredMs: number;
  /** Creating the tasks, opening the streams and the warm-up, before the measured interval. */
  setupMs: number;
  /** The part of the setup spent creating the tasks over REST (one per stream, one to warm up). */
  createMs: number;
  tasksCreated: number;
  /** The part of the setup spent opening the streams (g: all of them, inside its interval). */
  connectMs: number;
  idle: { rssBeforeMb: number; rssAfterMb: number; rssPerConnectionKb: number } | null;
  windows: { first: WindowFigures; last: WindowFigures } | null;
  /** The gateway's group commit over the measured interval, from its /metrics (baseline: null). */
  ingest: IngestFigures | null;
  /** The p99 of each stage inside the gateway, from its latency histograms (baseline: null). */
  stageTails: StageTails | null;
}

export interface ScenarioResult {
  scenario: ScenarioId;
  title: string;
  /** 1 to --rounds: a gateway row is compared with the baseline row of its own round. */
  round: number;
  target: TargetName;
  storage: Storage;
  /** Reproduces this row. */
  command: string;
  error: string | null;
  measurement: Measurement | null;
}

/** A measurement with nothing counted yet. */
export function emptyMeasurement(): Measurement {
  return {
    latencyMs: null,
    delivered: 0,
    expected: 0,
    duplicates: 0,
    outOfOrder: 0,
    idRegressions: 0,
    otherEvents: 0,
    malformed: 0,
    firstMalformed: '',
    webhookRequests: 0,
    webhookFailures: 0,
    firstWebhookFailure: '',
    streamsOpened: 0,
    streamsRefused: 0,
    firstStreamRefusal: '',
    streamsClosedByServer: 0,
    chunksPerSecond: 0,
    requestsPerSecond: 0,
    scheduleLagMs: null,
    peakRssMb: 0,
    serverCpuPercent: 0,
    dbCpuPercent: null,
    dbCpuByRole: null,
    generatorCpuPercent: 0,
    generatorStalls: null,
    serverStalls: null,
    runQueueWaitPercent: {},
    coresIdlePercent: null,
    measuredMs: 0,
    setupMs: 0,
    createMs: 0,
    tasksCreated: 0,
    connectMs: 0,
    idle: null,
    windows: null,
    ingest: null,
    stageTails: null,
  };
}

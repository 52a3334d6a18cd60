// The standard scenarios (a–g) at full size, and scaled down for --quick smoke runs.
import type { DrivePlan } from './send-driver';

export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g';
export const SCENARIO_IDS: readonly ScenarioId[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** One task and one subscriber per stream. */
  streams: number;
  /** 'idle' only connects and measures memory; 'stream' sends chunks. */
  kind: 'stream' | 'idle';
  /** Chunks per stream; Infinity when the scenario is bounded by durationMs instead. */
  chunksPerStream: number;
  /** Webhook requests per second, all streams together; Infinity = as fast as maxInFlight allows. */
  ratePerSecond: number;
  /** Over all tasks; a task itself never has more than one request in flight (see send-driver). */
  maxInFlight: number;
  /** Chunks per request: 1 uses /internal/webhook/stream, more uses /stream/batch. */
  batchSize: number;
  /** Upper bound on sending time (the saturation scenarios' length). */
  durationMs: number;
  /** For the long stream: size of the first/last windows compared; 0 = no windows. */
  windowSize: number;
}

const IN_FLIGHT = 64;

function paced(
  id: ScenarioId,
  streams: number,
  chunksPerStream: number,
  ratePerSecond: number,
): Scenario {
  const sends = streams * chunksPerStream;
  return {
    id,
    title: `${streams} stream(s) x ${chunksPerStream} chunk(s) at ${ratePerSecond}/s`,
    streams,
    kind: 'stream',
    chunksPerStream,
    ratePerSecond,
    maxInFlight: IN_FLIGHT,
    batchSize: 1,
    // A safety bound only: three times the planned sending time, plus 10 s.
    durationMs: (sends / ratePerSecond) * 3000 + 10_000,
    windowSize: 0,
  };
}

function saturation(
  id: ScenarioId,
  streams: number,
  batchSize: number,
  durationMs: number,
): Scenario {
  const batch = batchSize > 1 ? `, batches of ${batchSize}` : '';
  return {
    id,
    title: `${streams} streams${batch}, saturation with ${IN_FLIGHT} in flight for ${durationMs / 1000} s`,
    streams,
    kind: 'stream',
    chunksPerStream: Infinity,
    ratePerSecond: Infinity,
    maxInFlight: IN_FLIGHT,
    batchSize,
    durationMs,
    windowSize: 0,
  };
}

function longStream(chunks: number, windowSize: number): Scenario {
  // One worker posting its chunks one after the other: each chunk's cost shows directly in its
  // round trip, so any growth with stream length shows between the first and last window.
  return {
    id: 'f',
    title: `1 stream x ${chunks} chunks, sequential, as fast as possible`,
    streams: 1,
    kind: 'stream',
    chunksPerStream: chunks,
    ratePerSecond: Infinity,
    maxInFlight: 1,
    batchSize: 1,
    durationMs: 600_000,
    windowSize,
  };
}

function idle(streams: number): Scenario {
  return {
    id: 'g',
    title: `${streams} idle connections`,
    streams,
    kind: 'idle',
    chunksPerStream: 0,
    ratePerSecond: 0,
    maxInFlight: 0,
    batchSize: 1,
    durationMs: 0,
    windowSize: 0,
  };
}

const FULL: readonly Scenario[] = [
  paced('a', 1, 1000, 200),
  paced('b', 1000, 10, 2000),
  paced('c', 10_000, 1, 2000),
  saturation('d', 100, 1, 10_000),
  saturation('e', 100, 10, 10_000),
  longStream(20_000, 1000),
  idle(10_000),
];

const QUICK: readonly Scenario[] = [
  paced('a', 1, 100, 200),
  paced('b', 50, 10, 2000),
  paced('c', 100, 1, 2000),
  saturation('d', 100, 1, 1000),
  saturation('e', 100, 10, 1000),
  longStream(600, 100),
  idle(200),
];

/** Sends as fast as many requests in flight allow (d, e): the rate is bounded by CPU, not a pace. */
export function isSaturation(id: ScenarioId): boolean {
  const scenario = FULL.find((s) => s.id === id);
  return scenario !== undefined && scenario.ratePerSecond === Infinity && scenario.maxInFlight > 1;
}

export function scenariosFor(ids: readonly ScenarioId[], quick: boolean): Scenario[] {
  return (quick ? QUICK : FULL).filter((scenario) => ids.includes(scenario.id));
}

/** Timings of the harness itself, shorter for --quick. */
export interface RunnerOptions {
  /** One server process for all scenarios of a target (quick: a gateway takes seconds to start). */
  shareServer: boolean;
  /** Pause after connecting, before measuring: lets the server finish the streams' replay. */
  settleMs: number;
  /**
   * Scenario g: the pause after each full collection before RSS is read, so that the connect
   * phase's allocations have landed (`--idle-settle` lengthens it).
   */
  idleSettleMs: number;
  /** How long the scenario's own load runs on throw-away streams before the measured interval. */
  warmUpMs: number;
  /** At a slow pace (a: 200/s) the warm-up lasts until this many requests have been sent. */
  warmUpMinRequests: number;
  /** Delivery counts as stalled after this long without a new event. */
  drainIdleMs: number;
  drainMaxMs: number;
}

export function runnerOptions(quick: boolean): RunnerOptions {
  return quick
    ? {
        shareServer: true,
        settleMs: 300,
        idleSettleMs: 300,
        warmUpMs: 300,
        warmUpMinRequests: 100,
        drainIdleMs: 1000,
        drainMaxMs: 10_000,
      }
    : {
        shareServer: false,
        settleMs: 2000,
        idleSettleMs: 2000,
        warmUpMs: 3000,
        warmUpMinRequests: 1000,
        drainIdleMs: 3000,
        drainMaxMs: 30_000,
      };
}

/** The measured interval's sends: every stream's chunks, or as many as `durationMs` allows. */
export function measuredPlan(scenario: Scenario): DrivePlan {
  return {
    path: scenario.batchSize === 1 ? '/internal/webhook/stream' : '/internal/webhook/stream/batch',
    sends: (scenario.streams * scenario.chunksPerStream) / scenario.batchSize,
    ratePerSecond: scenario.ratePerSecond,
    maxInFlight: scenario.maxInFlight,
    durationMs: scenario.durationMs,
  };
}

/**
 * The warm-up's sends: the scenario's own endpoint, pace and requests in flight for `warmUpMs`,
 * or for `warmUpMinRequests` where the pace is too slow to send that many in that time.
 */
export function warmUpPlan(scenario: Scenario, options: RunnerOptions): DrivePlan {
  return {
    ...measuredPlan(scenario),
    sends: Infinity,
    durationMs: Math.max(
      options.warmUpMs,
      (options.warmUpMinRequests / scenario.ratePerSecond) * 1000,
    ),
  };
}

// Runs one scenario against one started server: setup (tasks + streams), the measured interval
// (sending until every chunk is delivered or delivery stalls), and the server's resource figures.
import { performance } from 'node:perf_hooks';
import { ChunkBodies } from './chunk-bodies';
import { collectGarbage } from './collect-garbage';
import { DeliveryTracker, type Timeline } from './delivery-tracker';
import {
  ingestBetween,
  readGatewayCounters,
  serverStallsBetween,
  stageTailsBetween,
} from './gateway-metrics';
import { watchGeneratorStalls } from './generator-stalls';
import { mintUserToken } from './jwt';
import { analyzeBenchDatabase, autovacuumIsOn } from './postgres-db';
import {
  CLOCK_TICKS_PER_SECOND,
  idlePercentBetween,
  postgresCpu,
  postgresCpuBetween,
  type PostgresCpuSnapshot,
  readCpuTicks,
  readMachineCpu,
  readMemory,
} from './proc-stats';
import {
  runQueueSnapshot,
  runQueueWaitPercent,
  threadsOf,
  type WatchedThreads,
} from './run-queue-wait';
import { emptyMeasurement, type Measurement, type WindowFigures } from './result-types';
import { SampleBuffer } from './sample-buffer';
import { measuredPlan, type RunnerOptions, type Scenario, warmUpPlan } from './scenarios';
import { drive } from './send-driver';
import { delay, type ServerProcess } from './server-process';
import { connectSubscribers, createTasks, ORG } from './task-setup';
import type { SseSubscriber } from './sse-subscriber';
import { JWT_SECRET, WEBHOOK_SECRET, type Storage } from './targets';
import { WebhookPublisher } from './webhook-publisher';

const SETUP_DEADLINE_MS = 180_000;

export async function measureScenario(
  scenario: Scenario,
  server: ServerProcess,
  storage: Storage,
  options: RunnerOptions,
): Promise<Measurement> {
  const token = mintUserToken(JWT_SECRET, 'bench', [ORG], 3600);
  return scenario.kind === 'idle'
    ? measureIdle(scenario, server, token, options)
    : measureStreaming(scenario, server, storage, token, options);
}

/** Server RSS before and after opening the streams, per open stream. */
async function measureIdle(
  scenario: Scenario,
  server: ServerProcess,
  token: string,
  options: RunnerOptions,
): Promise<Measurement> {
  const setupStarted = performance.now();
  const taskIds = await createTasks(server.port, scenario.streams, token, SETUP_DEADLINE_MS);
  const createMs = performance.now() - setupStarted;
  const tracker = new DeliveryTracker(scenario.streams, 0);
  const m = emptyMeasurement();
  m.createMs = createMs;
  m.tasksCreated = taskIds.length;
  let subscribers: SseSubscriber[] = [];
  try {
    // Each reading follows a full collection in the server: what is left is what it holds.
    await server.collectGarbage();
    await delay(options.idleSettleMs);
    m.setupMs = performance.now() - setupStarted;
    const before = readMemory(server.pid).rssKb;
    const started = performance.now();
    const cpuBefore = readCpuTicks(server.pid) ?? 0;
    subscribers = await connectSubscribers(server.port, taskIds, token, tracker, SETUP_DEADLINE_MS);
    m.connectMs = performance.now() - started;
    await server.collectGarbage();
    await delay(options.idleSettleMs);
    const after = readMemory(server.pid);
    const opened = countOpened(subscribers, m);
    if (opened === 0) throw new Error(`no stream opened: ${m.firstStreamRefusal}`);
    m.measuredMs = performance.now() - started;
    m.otherEvents = tracker.otherEvents;
    m.streamsClosedByServer = tracker.closedByServer;
    m.peakRssMb = after.peakRssKb / 1024;
    m.serverCpuPercent = cpuPercent(
      (readCpuTicks(server.pid) ?? cpuBefore) - cpuBefore,
      m.measuredMs,
    );
    m.idle = {
      rssBeforeMb: before / 1024,
      rssAfterMb: after.rssKb / 1024,
      rssPerConnectionKb: (after.rssKb - before) / opened,
    };
    return m;
  } finally {
    tracker.finish();
    for (const subscriber of subscribers) subscriber.close();
  }
}

/** Latency, delivery and throughput of the scenario's chunks, and what they cost the server. */
async function measureStreaming(
  scenario: Scenario,
  server: ServerProcess,
  storage: Storage,
  token: string,
  options: RunnerOptions,
): Promise<Measurement> {
  const setupStarted = performance.now();
  // The warm-up's tasks come after the measured streams' own.
  const warmUpStreams = Math.min(scenario.streams, scenario.maxInFlight);
  const taskIds = await createTasks(
    server.port,
    scenario.streams + warmUpStreams,
    token,
    SETUP_DEADLINE_MS,
  );
  const createMs = performance.now() - setupStarted;
  const tasksCreated = taskIds.length;
  if (storage === 'postgres' && !autovacuumIsOn()) analyzeBenchDatabase();
  const warmUpTasks = taskIds.splice(scenario.streams);
  const timelineLength = scenario.windowSize > 0 ? scenario.chunksPerStream : 0;
  const tracker = new DeliveryTracker(scenario.streams, timelineLength, scenario.chunksPerStream);
  const m = emptyMeasurement();
  m.createMs = createMs;
  m.tasksCreated = tasksCreated;
  let subscribers: SseSubscriber[] = [];
  let warmUpSubscribers: SseSubscriber[] = [];
  const publisher = new WebhookPublisher(server.port, WEBHOOK_SECRET);
  try {
    const connectStarted = performance.now();
    subscribers = await connectSubscribers(server.port, taskIds, token, tracker, SETUP_DEADLINE_MS);
    m.connectMs = performance.now() - connectStarted;
    if (countOpened(subscribers, m) === 0)
      throw new Error(`no stream opened: ${m.firstStreamRefusal}`);
    await delay(options.settleMs);
    warmUpSubscribers = await warmUp(server, scenario, warmUpTasks, token, options, publisher);
    m.setupMs = performance.now() - setupStarted;
    const bodies = new ChunkBodies(taskIds, scenario.batchSize);
    collectGarbage();

    const gatewayBefore = await readGatewayCounters(server.port);
    const cpuBefore = readCpuTicks(server.pid) ?? 0;
    const machineBefore = readMachineCpu();
    const dbBefore = storage === 'postgres' ? postgresCpu() : null;
    const watched = watchedThreads(server.pid, dbBefore);
    const waitsBefore = runQueueSnapshot(watched);
    const generatorBefore = process.cpuUsage();
    const stopWatchingStalls = watchGeneratorStalls();
    server.mark(`scenario ${scenario.id}: measured interval starts`);
    const sent = await drive(measuredPlan(scenario), bodies, publisher);
    await drain(tracker, sent.chunks, options);
    server.mark(`scenario ${scenario.id}: measured interval ends`);
    m.measuredMs = performance.now() - sent.startedAt;
    const generator = process.cpuUsage(generatorBefore);
    m.generatorStalls = stopWatchingStalls();
    const serverTicks = (readCpuTicks(server.pid) ?? cpuBefore) - cpuBefore;
    const waitsAfter = runQueueSnapshot(watched);
    m.coresIdlePercent = idlePercentBetween(machineBefore, readMachineCpu());

    m.latencyMs = tracker.latencies.summary();
    m.delivered = tracker.delivered;
    m.expected = sent.chunks;
    m.duplicates = tracker.duplicates;
    m.outOfOrder = tracker.outOfOrder;
    m.idRegressions = tracker.idRegressions;
    m.otherEvents = tracker.otherEvents;
    m.malformed = tracker.malformed;
    m.firstMalformed = tracker.firstMalformed;
    m.webhookRequests = sent.sends;
    m.webhookFailures = sent.failures;
    m.firstWebhookFailure = sent.firstFailure;
    m.streamsClosedByServer = tracker.closedByServer;
    m.chunksPerSecond = perSecond(tracker.delivered, tracker.lastReceivedAt - sent.startedAt);
    m.requestsPerSecond = perSecond(sent.sends, sent.endedAt - sent.startedAt);
    m.scheduleLagMs = Number.isFinite(scenario.ratePerSecond) ? sent.maxScheduleLagMs : null;
    m.peakRssMb = readMemory(server.pid).peakRssKb / 1024;
    m.serverCpuPercent = cpuPercent(serverTicks, m.measuredMs);
    if (dbBefore !== null) {
      const byRole = postgresCpuBetween(dbBefore, postgresCpu());
      const total = [...byRole.values()].reduce((sum, ticks) => sum + ticks, 0);
      m.dbCpuPercent = cpuPercent(total, m.measuredMs);
      m.dbCpuByRole = Object.fromEntries(
        [...byRole].map(([role, ticks]) => [role, cpuPercent(ticks, m.measuredMs)]),
      );
    }
    m.runQueueWaitPercent = runQueueWaitPercent(waitsBefore, waitsAfter, m.measuredMs);
    m.generatorCpuPercent = ((generator.user + generator.system) / 1000 / m.measuredMs) * 100;
    if (tracker.timeline !== null)
      m.windows = compareWindows(tracker.timeline, scenario.windowSize);
    const gatewayAfter = await readGatewayCounters(server.port);
    m.ingest = ingestBetween(gatewayBefore, gatewayAfter);
    m.serverStalls = serverStallsBetween(gatewayBefore, gatewayAfter);
    m.stageTails = stageTailsBetween(gatewayBefore, gatewayAfter);
    return m;
  } finally {
    tracker.finish();
    publisher.close();
    for (const subscriber of [...subscribers, ...warmUpSubscribers]) subscriber.close();
  }
}

/**
 * The threads whose waiting for a core is reported, in the note's order: all of the server's
 * (PGlite's runs in one of them; with PostgreSQL the others are mostly asleep), PostgreSQL's
 * backends (one thread each) and the generator's event loop.
 */
function watchedThreads(serverPid: number, db: PostgresCpuSnapshot | null): WatchedThreads {
  const watched: WatchedThreads = new Map([['server', threadsOf(serverPid)]]);
  if (db !== null) {
    const backends = [...db.byPid].filter(([, postgres]) => postgres.role === 'backends');
    watched.set(
      'database',
      backends.map(([pid]) => [pid, pid]),
    );
  }
  watched.set('generator', [[process.pid, process.pid]]);
  return watched;
}

/**
 * The scenario's own load (its endpoint, pace and requests in flight) on throw-away streams, just
 * before the measured interval, so that neither the server's nor the generator's JIT warm-up lands
 * in it (it would flatter the last window of the long stream against the first), and so that a
 * server that delivers nothing fails early. Its streams and the publisher's connections stay open
 * through the interval, as a worker's would: closing them runs code the server has not compiled
 * yet. A lighter warm-up (1,000 chunks through one stream, one at a time) left V8 compiling the
 * gateway in the first two seconds of b's interval (docs/benchmarks-history.md, session 23).
 */
async function warmUp(
  server: ServerProcess,
  scenario: Scenario,
  taskIds: string[],
  token: string,
  options: RunnerOptions,
  publisher: WebhookPublisher,
): Promise<SseSubscriber[]> {
  const tracker = new DeliveryTracker(taskIds.length, 0);
  const subscribers = await connectSubscribers(
    server.port,
    taskIds,
    token,
    tracker,
    SETUP_DEADLINE_MS,
  );
  try {
    const refused = subscribers.find((subscriber) => subscriber.status !== 200);
    if (refused) throw new Error(`warm-up stream refused: ${refused.failure}`);
    // The harness reads /metrics just before measuring: read once here too, or that first read
    // deoptimises the request path compiled for webhooks alone, and V8 recompiles it while the
    // interval runs (--server-output with --trace-deopt shows it).
    await readGatewayCounters(server.port);
    server.mark(`scenario ${scenario.id}: warm-up starts`);
    const sent = await drive(
      warmUpPlan(scenario, options),
      new ChunkBodies(taskIds, scenario.batchSize),
      publisher,
    );
    if (sent.failures === sent.sends)
      throw new Error(`every warm-up webhook failed: ${sent.firstFailure}`);
    await drain(tracker, sent.chunks, options);
    if (tracker.delivered === 0)
      throw new Error(`warm-up: ${sent.sends - sent.failures} chunks acknowledged, none delivered`);
    return subscribers;
  } catch (error) {
    for (const subscriber of subscribers) subscriber.close();
    throw error;
  } finally {
    tracker.finish();
  }
}

/** Fills the stream open/refused counts into `into`; returns how many streams are open. */
function countOpened(subscribers: readonly SseSubscriber[], into: Measurement): number {
  for (const subscriber of subscribers) {
    if (subscriber.status === 200 && !subscriber.closed) {
      into.streamsOpened++;
    } else {
      into.streamsRefused++;
      if (into.firstStreamRefusal === '')
        into.firstStreamRefusal = subscriber.failure || `status ${subscriber.status}`;
    }
  }
  return into.streamsOpened;
}

/** Waits until every sent chunk was delivered, or delivery stalls, or the bound passes. */
async function drain(
  tracker: DeliveryTracker,
  expected: number,
  options: RunnerOptions,
): Promise<void> {
  const started = performance.now();
  let seen = tracker.delivered;
  let lastProgress = started;
  while (tracker.delivered < expected) {
    const now = performance.now();
    if (now - started > options.drainMaxMs || now - lastProgress > options.drainIdleMs) return;
    await delay(10);
    if (tracker.delivered !== seen) {
      seen = tracker.delivered;
      lastProgress = performance.now();
    }
  }
}

function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

function cpuPercent(ticks: number, wallMs: number): number {
  return ((ticks / CLOCK_TICKS_PER_SECOND) * 1000 * 100) / wallMs;
}

function compareWindows(
  timeline: Timeline,
  size: number,
): { first: WindowFigures; last: WindowFigures } {
  const lastSequence = timeline.sentAt.length - 1;
  return {
    first: windowFigures(timeline, 1, size),
    last: windowFigures(timeline, lastSequence - size + 1, lastSequence),
  };
}

/** Latency of the received chunks in [from, to], and their rate from the first send to the last receipt. */
function windowFigures(timeline: Timeline, from: number, to: number): WindowFigures {
  const latencies = new SampleBuffer();
  let lastReceivedAt = 0;
  for (let sequence = from; sequence <= to; sequence++) {
    const receivedAt = timeline.receivedAt[sequence];
    if (receivedAt === 0) continue;
    latencies.push(receivedAt - timeline.sentAt[sequence]);
    lastReceivedAt = Math.max(lastReceivedAt, receivedAt);
  }
  const firstSentAt = timeline.sentAt[from];
  return {
    fromSequence: from,
    toSequence: to,
    latencyMs: latencies.summary(),
    chunksPerSecond: firstSentAt > 0 ? perSecond(latencies.count, lastReceivedAt - firstSentAt) : 0,
  };
}

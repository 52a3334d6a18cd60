// The printed report: one row per scenario x target (with a gateway/baseline ratio row under each
// gateway row), the long-stream windows, the idle-connection memory, problems seen, and the command
// that reproduces each row. Also the JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPerChunk } from './cpu-per-chunk';
import type { Stage, StageTail, StageTails } from './gateway-metrics';
import type { Measurement, ScenarioResult, Stalls, WindowFigures } from './result-types';
import { isSaturation } from './scenarios';

/** Pacing jitter below this is timer granularity, not a server that cannot keep up. */
const SCHEDULE_LAG_NOTE_MS = 20;
/** Event-loop stalls shorter than this are left out of the notes. */
const STALL_NOTE_MS = 5;
/** Waiting for a core below this share of the interval, for every thread watched, is left out. */
const WAIT_NOTE_PERCENT = 1;

interface Column {
  title: string;
  width: number;
}

const COLUMNS: Column[] = [
  { title: '#', width: 3 },
  { title: 'sc', width: 3 },
  { title: 'target', width: 24 },
  { title: 'p50 ms', width: 8 },
  { title: 'p90 ms', width: 8 },
  { title: 'p99 ms', width: 8 },
  { title: 'max ms', width: 8 },
  { title: 'delivered/expected', width: 19 },
  { title: 'dup', width: 5 },
  { title: 'ooo', width: 5 },
  { title: 'chunks/s', width: 9 },
  { title: 'req/s', width: 8 },
  { title: 'peak RSS MB', width: 12 },
  { title: 'srv CPU%', width: 9 },
  { title: 'db CPU%', width: 8 },
  { title: 'gen CPU%', width: 9 },
  { title: 'notes', width: 0 },
];

function row(cells: string[]): string {
  return cells
    .map((cell, i) =>
      COLUMNS[i].width === 0
        ? cell
        : cell.padStart(i < 3 ? 0 : COLUMNS[i].width).padEnd(COLUMNS[i].width),
    )
    .join(' ')
    .trimEnd();
}

/** The baseline's measurement of the same scenario in the same round, if it was run. */
export function baselineOf(
  results: readonly ScenarioResult[],
  result: ScenarioResult,
): Measurement | null {
  const base = results.find(
    (r) => r.scenario === result.scenario && r.round === result.round && r.target === 'baseline',
  );
  return base?.measurement ?? null;
}

export function label(result: ScenarioResult): string {
  return result.target === 'baseline' ? 'baseline' : `gateway/${result.storage}`;
}

export function num(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(gateway: number, baseline: number): string {
  return baseline > 0 && Number.isFinite(gateway) ? `x${num(gateway / baseline)}` : '-';
}

function problems(m: Measurement): string[] {
  const notes: string[] = [];
  // The driver waits for a task's previous answer: a slow server delays the paced sends.
  if (m.scheduleLagMs !== null && m.scheduleLagMs > SCHEDULE_LAG_NOTE_MS) {
    notes.push(`sends up to ${num(m.scheduleLagMs)} ms behind schedule`);
  }
  // A stalled generator stamps the chunks that arrive meanwhile late: latency it did not cause.
  const generator = stallNote('generator', m.generatorStalls);
  const server = stallNote('server', m.serverStalls);
  if (server !== null) notes.push(server);
  if (generator !== null) notes.push(generator);
  const waits = waitNote(m.runQueueWaitPercent);
  if (waits !== null) notes.push(waits);
  if (m.webhookFailures > 0) notes.push(`${m.webhookFailures} webhook failures`);
  if (m.streamsRefused > 0) notes.push(`${m.streamsRefused} streams refused`);
  if (m.streamsClosedByServer > 0)
    notes.push(`${m.streamsClosedByServer} streams closed by server`);
  if (m.malformed > 0) notes.push(`${m.malformed} malformed events`);
  if (m.idRegressions > 0) notes.push(`${m.idRegressions} non-increasing ids`);
  return notes;
}

/** Every stage has a label: the compiler says so when one is added. */
const STAGE_LABELS: Record<Stage, string> = {
  request: 'request',
  commit: 'commit',
  toStream: 'to stream',
};

/** Where the tail is: each stage's p99 inside the gateway, next to the end-to-end one. */
function stageNote(tails: StageTails | null): string | null {
  if (tails === null) return null;
  const parts: string[] = [];
  for (const [stage, tail] of Object.entries(tails) as [Stage, StageTail | null][]) {
    if (tail !== null)
      parts.push(`${STAGE_LABELS[stage]} ${tail.atLeast ? '≥ ' : ''}${num(tail.p99Ms)}`);
  }
  return parts.length === 0 ? null : `p99 in gateway: ${parts.join(', ')} ms`;
}

/** Shown once any thread watched waited for a core for a hundredth of the interval. */
function waitNote(percent: Readonly<Record<string, number>>): string | null {
  const entries = Object.entries(percent);
  if (!entries.some(([, p]) => p >= WAIT_NOTE_PERCENT)) return null;
  return `waited for a core: ${entries.map(([who, p]) => `${who} ${num(p)} %`).join(', ')}`;
}

function stallNote(who: string, stalls: Stalls | null): string | null {
  if (stalls === null || stalls.loopDelayMaxMs < STALL_NOTE_MS) return null;
  const longest = stalls.gcMaxMs === null ? '' : `, max ${num(stalls.gcMaxMs)} ms`;
  return (
    `${who} stalled up to ${num(stalls.loopDelayMaxMs)} ms ` +
    `(GC ${stalls.gcPauses}x, ${num(stalls.gcTotalMs)} ms${longest})`
  );
}

function measurementCells(
  index: number,
  result: ScenarioResult,
  name: string,
  m: Measurement,
): string[] {
  const latency = m.latencyMs;
  const idle = m.idle !== null;
  const notes = idle && m.idle !== null ? [`RSS/conn ${num(m.idle.rssPerConnectionKb)} KB`] : [];
  if (m.ingest !== null) {
    notes.push(
      `commits: ${num(m.ingest.meanBatchSize)} ev, ${num(m.ingest.meanCommitMs)} ms (mean)`,
    );
  }
  const stages = stageNote(m.stageTails);
  if (stages !== null) notes.push(stages);
  return [
    String(index),
    result.scenario,
    name,
    latency === null ? '-' : num(latency.p50),
    latency === null ? '-' : num(latency.p90),
    latency === null ? '-' : num(latency.p99),
    latency === null ? '-' : num(latency.max),
    idle ? `${m.streamsOpened} open` : `${m.delivered}/${m.expected}`,
    idle ? '-' : String(m.duplicates),
    idle ? '-' : String(m.outOfOrder),
    idle ? '-' : num(m.chunksPerSecond),
    idle ? '-' : num(m.requestsPerSecond),
    num(m.peakRssMb),
    num(m.serverCpuPercent),
    m.dbCpuPercent === null ? '-' : num(m.dbCpuPercent),
    idle ? '-' : num(m.generatorCpuPercent),
    [...notes, ...problems(m)].join('; '),
  ];
}

function ratioCells(result: ScenarioResult, m: Measurement, base: Measurement): string[] {
  const l = m.latencyMs;
  const b = base.latencyMs;
  const latency = (pick: (s: NonNullable<Measurement['latencyMs']>) => number): string =>
    l === null || b === null ? '-' : ratio(pick(l), pick(b));
  const idleRatio =
    m.idle !== null && base.idle !== null
      ? `RSS/conn ${ratio(m.idle.rssPerConnectionKb, base.idle.rssPerConnectionKb)}`
      : '';
  return [
    '',
    '',
    `  ${label(result)} / baseline`,
    latency((s) => s.p50),
    latency((s) => s.p90),
    latency((s) => s.p99),
    latency((s) => s.max),
    '',
    '',
    '',
    m.idle === null ? ratio(m.chunksPerSecond, base.chunksPerSecond) : '',
    m.idle === null ? ratio(m.requestsPerSecond, base.requestsPerSecond) : '',
    ratio(m.peakRssMb, base.peakRssMb),
    ratio(m.serverCpuPercent, base.serverCpuPercent),
    '',
    '',
    idleRatio,
  ];
}

function cpuLine(m: Measurement, cores: number, saturation: boolean): string | null {
  const cost = cpuPerChunk(m, cores, saturation);
  if (cost === null) return null;
  const parts = [cost.serverUs, cost.databaseUs, cost.generatorUs].map((us) =>
    us === null ? '-' : num(us),
  );
  const ceiling =
    cost.ceilingPerSecond === null
      ? ''
      : `: at most ${Math.round(cost.ceilingPerSecond).toLocaleString('en-US')} chunks/s`;
  const idle = m.coresIdlePercent === null ? '' : `; the cores idle ${num(m.coresIdlePercent)} %`;
  return `${parts.join(' + ')} = ${num(cost.totalUs)}${ceiling}${idle}`;
}

function windowText(w: WindowFigures): string {
  const l = w.latencyMs;
  const latency =
    l === null
      ? 'no deliveries'
      : `p50 ${num(l.p50)} ms, p99 ${num(l.p99)} ms, max ${num(l.max)} ms`;
  return `seq ${w.fromSequence}-${w.toSequence}: ${latency}, ${num(w.chunksPerSecond)} chunks/s`;
}

/** `cores`: the machine's, for the rate a saturation row's CPU per chunk would allow. */
export function formatReport(results: readonly ScenarioResult[], cores: number): string {
  const lines: string[] = [row(COLUMNS.map((c) => c.title))];
  const cpu: string[] = [];
  const details: string[] = [];
  const windows: string[] = [];
  const idle: string[] = [];
  const database: string[] = [];
  // With --rounds each row says its round, and its ratio row compares it with that round's baseline.
  const severalRounds = results.some((r) => r.round > 1);
  results.forEach((result, i) => {
    const index = i + 1;
    const m = result.measurement;
    const name = severalRounds ? `${label(result)} r${result.round}` : label(result);
    if (m === null) {
      lines.push(
        row([
          String(index),
          result.scenario,
          name,
          ...new Array<string>(13).fill('-'),
          'ERROR (see below)',
        ]),
      );
      details.push(
        `#${index} ${result.scenario} ${label(result)}: ${result.error ?? 'no measurement'}`,
      );
      return;
    }
    lines.push(row(measurementCells(index, result, name, m)));
    const base = baselineOf(results, result);
    if (result.target === 'gateway' && base) lines.push(row(ratioCells(result, m, base)));
    if (m.firstWebhookFailure !== '')
      details.push(`#${index} first webhook failure: ${m.firstWebhookFailure}`);
    if (m.firstStreamRefusal !== '')
      details.push(`#${index} first stream refusal: ${m.firstStreamRefusal}`);
    if (m.firstMalformed !== '')
      details.push(`#${index} first malformed event data: ${m.firstMalformed}`);
    if (m.windows !== null) {
      windows.push(`#${index} ${name}: first ${windowText(m.windows.first)}`);
      windows.push(`#${index} ${name}: last  ${windowText(m.windows.last)}`);
    }
    const cost = cpuLine(m, cores, isSaturation(result.scenario));
    if (cost !== null) cpu.push(`#${index} ${result.scenario} ${name}: ${cost}`);
    if (m.dbCpuByRole !== null) {
      const parts = Object.entries(m.dbCpuByRole)
        .filter(([, percent]) => percent >= 0.05)
        .sort(([, a], [, b]) => b - a)
        .map(([role, percent]) => `${role} ${num(percent)}`);
      database.push(`#${index} ${name}: ${parts.join(', ') || 'none'}`);
    }
    if (m.idle !== null) {
      idle.push(
        `#${index} ${name}: RSS ${num(m.idle.rssBeforeMb)} MB -> ${num(m.idle.rssAfterMb)} MB over ${m.streamsOpened} connections = ${num(m.idle.rssPerConnectionKb)} KB each`,
      );
    }
  });
  const sections = [lines.join('\n')];
  if (windows.length > 0)
    sections.push(`Long stream (f), first vs last window:\n${windows.join('\n')}`);
  if (idle.length > 0) sections.push(`Idle connections (g):\n${idle.join('\n')}`);
  if (cpu.length > 0) {
    sections.push(
      `CPU per chunk, µs (server + PostgreSQL + generator; at saturation, the rate ${cores} cores would allow at that cost, never idle):\n${cpu.join('\n')}`,
    );
  }
  if (database.length > 0)
    sections.push(`PostgreSQL CPU % by process (100 = one core):\n${database.join('\n')}`);
  if (details.length > 0) sections.push(`Problems:\n${details.join('\n')}`);
  sections.push(`Reproduce:\n${results.map((r, i) => `#${i + 1} ${r.command}`).join('\n')}`);
  return sections.join('\n\n');
}

export function writeResults(dir: string, startedAt: Date, document: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  // JSON has no Infinity: the unbounded counts and rates of the saturation scenarios say so instead.
  const text = JSON.stringify(
    document,
    (_key, value: unknown) => (value === Infinity ? 'unbounded' : value),
    2,
  );
  writeFileSync(file, `${text}\n`);
  return file;
}

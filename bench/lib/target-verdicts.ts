// The targets of the benchmark issue (bench/README.md, "Targets"), checked on every gateway row
// of a run, so that a rerun says met or missed by itself instead of leaving the reader to compare
// figures by hand. Latency targets hold on both storages; the throughput, long-stream and memory
// targets on PostgreSQL only (PGlite's are reported, with no target).
import { baselineOf, label, num } from './report';
import type { Measurement, ScenarioResult } from './result-types';

export const TARGETS = {
  /** b and c, on both storages. */
  latencyP50Ms: 3,
  latencyP99Ms: 20,
  /** d on PostgreSQL: both figures, the second against the baseline of the same round. */
  saturationChunksPerSecond: 12_000,
  saturationRatio: 0.35,
  /** e on PostgreSQL. */
  batchChunksPerSecond: 60_000,
  /** f on PostgreSQL: the last window's rate at least this share of the first's. */
  longStreamLastToFirst: 0.9,
  /** g on PostgreSQL. */
  idleKbPerConnection: 20,
} as const;

interface Check {
  ok: boolean;
  text: string;
}

export interface Verdict {
  /** The row's number in the printed table. */
  index: number;
  scenario: string;
  target: string;
  round: number;
  status: 'met' | 'missed' | 'no target';
  checks: string[];
}

/**
 * Each writes a figure as the report does, or with `digits` decimals where rounding would hide how
 * it stands against its limit.
 */
type Format = (v: number, digits?: number) => string;
const chunks: Format = (v, digits) =>
  `${v.toLocaleString('en-US', { maximumFractionDigits: digits ?? 0 })} chunks/s`;
const ms: Format = (v, digits) => `${digits === undefined ? num(v) : v.toFixed(digits)} ms`;
const times: Format = (v, digits) => `x${digits === undefined ? num(v) : v.toFixed(digits)}`;

/**
 * `value` against `limit`, both written by `format`, with the sign that holds between them. A
 * value that rounds to the limit is written with more decimals: "x0.349 < x0.35", not "x0.35 <
 * x0.35".
 */
function compare(value: number, limit: number, sign: string, format: Format): string {
  let shown = format(value);
  for (let digits = 3; shown === format(limit) && value !== limit && digits <= 8; digits++)
    shown = format(value, digits);
  return `${shown} ${sign} ${format(limit)}`;
}

function atMost(value: number, limit: number, format: Format, what = ''): Check {
  const ok = value <= limit;
  return { ok, text: `${what}${compare(value, limit, ok ? '≤' : '>', format)}` };
}

function atLeast(value: number, limit: number, format: Format, what = ''): Check {
  const ok = value >= limit;
  return { ok, text: `${what}${compare(value, limit, ok ? '≥' : '<', format)}` };
}

/** Every chunk delivered once and in order, and no webhook request refused. */
function complete(m: Measurement): Check[] {
  return [
    {
      ok: m.delivered === m.expected && m.webhookFailures === 0,
      text: `${m.delivered}/${m.expected} delivered${m.webhookFailures > 0 ? `, ${m.webhookFailures} webhook failures` : ''}`,
    },
    { ok: m.duplicates === 0, text: `${m.duplicates} dup` },
    { ok: m.outOfOrder === 0, text: `${m.outOfOrder} ooo` },
  ];
}

function latency(m: Measurement): Check[] {
  if (m.latencyMs === null) return [{ ok: false, text: 'no latency measured' }];
  return [
    atMost(m.latencyMs.p50, TARGETS.latencyP50Ms, ms, 'p50 '),
    atMost(m.latencyMs.p99, TARGETS.latencyP99Ms, ms, 'p99 '),
    ...complete(m),
  ];
}

function saturation(m: Measurement, base: Measurement | null): Check[] {
  const ratio: Check =
    base === null || base.chunksPerSecond <= 0
      ? { ok: false, text: 'ratio unknown: no baseline row in this round' }
      : atLeast(
          m.chunksPerSecond / base.chunksPerSecond,
          TARGETS.saturationRatio,
          times,
          'baseline ',
        );
  return [
    atLeast(m.chunksPerSecond, TARGETS.saturationChunksPerSecond, chunks),
    ratio,
    ...complete(m),
  ];
}

function longStream(m: Measurement): Check[] {
  if (m.windows === null) return [{ ok: false, text: 'no windows measured' }];
  const { first, last } = m.windows;
  const share = first.chunksPerSecond > 0 ? last.chunksPerSecond / first.chunksPerSecond : 0;
  return [
    atLeast(share, TARGETS.longStreamLastToFirst, times, 'last window / first '),
    ...complete(m),
  ];
}

/**
 * RSS per idle stream. A negative figure means the process gave back more memory than the
 * streams took while they opened (garbage from creating the tasks collected meanwhile): the
 * streams' cost is then unknown, not met.
 */
function idleMemory(kbPerConnection: number): Check[] {
  if (kbPerConnection < 0) {
    return [
      {
        ok: false,
        text: `RSS per connection not measured: the process shrank by ${num(-kbPerConnection)} KB per connection while they opened`,
      },
    ];
  }
  return [
    atMost(
      kbPerConnection,
      TARGETS.idleKbPerConnection,
      (v) => `${num(v)} KB`,
      'RSS per connection ',
    ),
  ];
}

/** The checks that apply to a row, or null when none does (a, PGlite's throughput and memory). */
function checksFor(
  result: ScenarioResult,
  m: Measurement,
  base: Measurement | null,
): Check[] | null {
  const postgres = result.storage === 'postgres';
  switch (result.scenario) {
    case 'b':
    case 'c':
      return latency(m);
    case 'd':
      return postgres ? saturation(m, base) : null;
    case 'e':
      return postgres
        ? [atLeast(m.chunksPerSecond, TARGETS.batchChunksPerSecond, chunks), ...complete(m)]
        : null;
    case 'f':
      return postgres ? longStream(m) : null;
    case 'g':
      return postgres && m.idle !== null ? idleMemory(m.idle.rssPerConnectionKb) : null;
    case 'a':
      return null;
  }
}

/** One verdict per gateway row, in the order (and with the numbers) of the printed table. */
export function targetVerdicts(results: readonly ScenarioResult[]): Verdict[] {
  return results.flatMap((result, i): Verdict[] => {
    if (result.target !== 'gateway') return [];
    const row = {
      index: i + 1,
      scenario: result.scenario,
      target: label(result),
      round: result.round,
    };
    const m = result.measurement;
    if (m === null)
      return [{ ...row, status: 'missed', checks: ['no measurement (see Problems)'] }];
    const checks = checksFor(result, m, baselineOf(results, result));
    if (checks === null) return [{ ...row, status: 'no target', checks: [] }];
    return [
      {
        ...row,
        status: checks.every((c) => c.ok) ? 'met' : 'missed',
        checks: checks.map((c) => (c.ok ? c.text : `MISSED ${c.text}`)),
      },
    ];
  });
}

export function formatVerdicts(verdicts: readonly Verdict[], quick: boolean): string {
  const title = 'Targets (bench/README.md):';
  if (quick) return `${title} not checked: --quick scales the scenarios down`;
  const checked = verdicts.filter((v) => v.status !== 'no target');
  if (checked.length === 0) return `${title} none applies to the rows run`;
  const missed = checked.filter((v) => v.status === 'missed').length;
  const lines = checked.map((v) => {
    const name = `${v.scenario} ${v.target}${v.round > 1 || checked.some((c) => c.round > 1) ? ` r${v.round}` : ''}`;
    return `#${String(v.index).padEnd(3)} ${name.padEnd(22)} ${v.status.padEnd(7)} ${v.checks.join('; ')}`;
  });
  return [`${title} ${checked.length - missed} of ${checked.length} rows met`, ...lines].join('\n');
}

// With --rounds: each scenario's figures on each target as the median over the rounds, and the
// gateway/baseline ratio of every round (a ratio from two runs measured side by side), so that a
// host whose speed drifts within the hour moves both sides of each ratio alike.
import { baselineOf, label, num } from './report';
import type { Measurement, ScenarioResult } from './result-types';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function cells(values: readonly string[], widths: readonly number[]): string {
  return values
    .map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i])))
    .join('  ')
    .trimEnd();
}

const WIDTHS = [3, 18, 7, 10, 7, 9, 9, 9, 5, 5];
const HEADER = [
  'sc',
  'target',
  'rounds',
  'chunks/s',
  'ratio',
  'p50 ms',
  'p99 ms',
  'complete',
  'dup',
  'ooo',
];

function line(results: readonly ScenarioResult[], runs: readonly ScenarioResult[]): string {
  const measured = runs.flatMap((r) => (r.measurement === null ? [] : [r.measurement]));
  const first = runs[0];
  const of = (pick: (m: Measurement) => number | null | undefined): string => {
    const values = measured.map(pick).filter((v): v is number => typeof v === 'number');
    return values.length === 0 ? '-' : num(median(values));
  };
  const ratios = runs.flatMap((r) => {
    const base = baselineOf(results, r);
    return r.target === 'gateway' &&
      r.measurement !== null &&
      base !== null &&
      base.chunksPerSecond > 0
      ? [r.measurement.chunksPerSecond / base.chunksPerSecond]
      : [];
  });
  const idle = measured.some((m) => m.idle !== null);
  const complete = measured.filter((m) => m.delivered === m.expected && m.webhookFailures === 0);
  const row = cells(
    [
      first.scenario,
      label(first),
      `${measured.length}/${runs.length}`,
      idle ? '-' : of((m) => m.chunksPerSecond),
      ratios.length === 0 ? '' : `x${num(median(ratios))}`,
      of((m) => m.latencyMs?.p50),
      of((m) => m.latencyMs?.p99),
      idle ? '-' : `${complete.length}/${runs.length}`,
      idle ? '-' : String(measured.reduce((n, m) => n + m.duplicates, 0)),
      idle ? '-' : String(measured.reduce((n, m) => n + m.outOfOrder, 0)),
    ],
    WIDTHS,
  );
  const notes: string[] = [];
  if (ratios.length > 1) notes.push(`rounds: ${ratios.map((r) => `x${num(r)}`).join(', ')}`);
  if (idle) notes.push(`RSS/conn ${of((m) => m.idle?.rssPerConnectionKb)} KB`);
  return notes.length === 0 ? row : `${row}  ${notes.join('; ')}`;
}

/**
 * The medians over the rounds, one line per scenario and target, in the order `results` holds them
 * (run.ts sorts them for the table: by scenario, round, then target).
 */
export function formatRoundsSummary(results: readonly ScenarioResult[]): string {
  const groups = new Map<string, ScenarioResult[]>();
  for (const result of results) {
    const key = `${result.scenario} ${label(result)}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const rounds = Math.max(...results.map((r) => r.round));
  return [
    `Medians over ${rounds} rounds; ratio = gateway/baseline chunks/s of the same round (median, then each round):`,
    cells(HEADER, WIDTHS),
    ...[...groups.values()].map((runs) => line(results, runs)),
  ].join('\n');
}

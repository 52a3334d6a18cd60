import { emptyMeasurement, type Measurement, type ScenarioResult } from './result-types';
import type { ScenarioId } from './scenarios';
import type { Storage, TargetName } from './targets';
import { formatVerdicts, targetVerdicts } from './target-verdicts';

/** A b or c row that meets its targets, unless overridden. */
function measurement(overrides: Partial<Measurement> = {}): Measurement {
  return {
    ...emptyMeasurement(),
    latencyMs: { p50: 0.7, p90: 1.2, p99: 4.9, max: 11.8 },
    delivered: 10_000,
    expected: 10_000,
    webhookRequests: 10_000,
    chunksPerSecond: 2000,
    ...overrides,
  };
}

function row(
  scenario: ScenarioId,
  target: TargetName,
  storage: Storage,
  m: Measurement | null,
  round = 1,
): ScenarioResult {
  return {
    scenario,
    title: scenario,
    round,
    target,
    storage,
    command: `bench ${scenario}`,
    error: m === null ? 'crashed' : null,
    measurement: m,
  };
}

describe('targetVerdicts', () => {
  it('meets the latency target on both storages and misses it on a p99 over 20 ms', () => {
    const verdicts = targetVerdicts([
      row('b', 'baseline', 'pglite', measurement()),
      row(
        'b',
        'gateway',
        'pglite',
        measurement({ latencyMs: { p50: 1.1, p90: 2, p99: 20.5, max: 42 } }),
      ),
      row('b', 'gateway', 'postgres', measurement()),
    ]);
    expect(verdicts.map((v) => [v.index, v.target, v.status])).toEqual([
      [2, 'gateway/pglite', 'missed'],
      [3, 'gateway/postgres', 'met'],
    ]);
    expect(verdicts[0].checks).toContain('MISSED p99 20.5 ms > 20.0 ms');
    expect(verdicts[1].checks).toContain('p50 0.70 ms ≤ 3.00 ms');
  });

  it('misses a latency target when a chunk is lost, repeated or out of order', () => {
    const [lost, repeated, reordered] = targetVerdicts([
      row('c', 'gateway', 'postgres', measurement({ delivered: 9999 })),
      row('c', 'gateway', 'postgres', measurement({ duplicates: 1 })),
      row('c', 'gateway', 'postgres', measurement({ outOfOrder: 2 })),
    ]);
    expect(lost.checks).toContain('MISSED 9999/10000 delivered');
    expect(repeated.checks).toContain('MISSED 1 dup');
    expect(reordered.checks).toContain('MISSED 2 ooo');
  });

  it('judges saturation on PostgreSQL by the rate and by the ratio to its own round’s baseline', () => {
    const verdicts = targetVerdicts([
      row('d', 'baseline', 'pglite', measurement({ chunksPerSecond: 47_070 })),
      row('d', 'gateway', 'postgres', measurement({ chunksPerSecond: 18_716 })),
      row('d', 'baseline', 'pglite', measurement({ chunksPerSecond: 60_000 }), 2),
      row('d', 'gateway', 'postgres', measurement({ chunksPerSecond: 18_000 }), 2),
      row('d', 'gateway', 'postgres', measurement({ chunksPerSecond: 13_000 }), 3),
      row('d', 'gateway', 'pglite', measurement({ chunksPerSecond: 5_000 })),
    ]);
    expect(verdicts.map((v) => v.status)).toEqual(['met', 'missed', 'missed', 'no target']);
    expect(verdicts[0].checks.slice(0, 2)).toEqual([
      '18,716 chunks/s ≥ 12,000 chunks/s',
      'baseline x0.40 ≥ x0.35',
    ]);
    expect(verdicts[1].checks[1]).toBe('MISSED baseline x0.30 < x0.35');
    expect(verdicts[2].checks[1]).toBe('MISSED ratio unknown: no baseline row in this round');
  });

  it('writes a figure that rounds to its limit with the decimals that tell them apart', () => {
    const verdicts = targetVerdicts([
      row('d', 'baseline', 'pglite', measurement({ chunksPerSecond: 45_039 })),
      row('d', 'gateway', 'postgres', measurement({ chunksPerSecond: 15_701 })),
      row('d', 'baseline', 'pglite', measurement({ chunksPerSecond: 40_000 }), 2),
      row('d', 'gateway', 'postgres', measurement({ chunksPerSecond: 14_000 }), 2),
      row('d', 'baseline', 'pglite', measurement({ chunksPerSecond: 40_000 }), 3),
      row('d', 'gateway', 'postgres', measurement({ chunksPerSecond: 11_999.6 }), 3),
    ]);
    expect(verdicts[0].checks[1]).toBe('MISSED baseline x0.349 < x0.35');
    expect(verdicts[1].checks[1]).toBe('baseline x0.35 ≥ x0.35');
    expect(verdicts[2].checks[0]).toBe('MISSED 11,999.6 chunks/s < 12,000 chunks/s');
  });

  it('judges the batch rate, the long stream and idle memory on PostgreSQL only', () => {
    const window = (chunksPerSecond: number) => ({
      fromSequence: 1,
      toSequence: 1000,
      latencyMs: null,
      chunksPerSecond,
    });
    const verdicts = targetVerdicts([
      row('e', 'gateway', 'postgres', measurement({ chunksPerSecond: 59_999 })),
      row('e', 'gateway', 'pglite', measurement({ chunksPerSecond: 20_000 })),
      row(
        'f',
        'gateway',
        'postgres',
        measurement({ windows: { first: window(1000), last: window(850) } }),
      ),
      row(
        'f',
        'gateway',
        'postgres',
        measurement({ windows: { first: window(1000), last: window(2000) } }),
      ),
      row(
        'g',
        'gateway',
        'postgres',
        measurement({ idle: { rssBeforeMb: 300, rssAfterMb: 330, rssPerConnectionKb: 3.06 } }),
      ),
      row('a', 'gateway', 'postgres', measurement()),
    ]);
    expect(verdicts.map((v) => v.status)).toEqual([
      'missed',
      'no target',
      'missed',
      'met',
      'met',
      'no target',
    ]);
    expect(verdicts[0].checks[0]).toBe('MISSED 59,999 chunks/s < 60,000 chunks/s');
    expect(verdicts[2].checks[0]).toBe('MISSED last window / first x0.85 < x0.90');
    expect(verdicts[4].checks).toEqual(['RSS per connection 3.06 KB ≤ 20.0 KB']);
  });

  it('does not call a negative RSS per connection met', () => {
    const [verdict] = targetVerdicts([
      row(
        'g',
        'gateway',
        'postgres',
        measurement({ idle: { rssBeforeMb: 330, rssAfterMb: 323, rssPerConnectionKb: -0.71 } }),
      ),
    ]);
    expect(verdict.status).toBe('missed');
    expect(verdict.checks).toEqual([
      'MISSED RSS per connection not measured: the process shrank by 0.71 KB per connection while they opened',
    ]);
  });

  it('counts a row without a measurement as missed', () => {
    const [verdict] = targetVerdicts([row('b', 'gateway', 'postgres', null)]);
    expect(verdict.status).toBe('missed');
  });
});

describe('formatVerdicts', () => {
  it('prints one line per checked row and how many met', () => {
    const text = formatVerdicts(
      targetVerdicts([
        row('a', 'gateway', 'postgres', measurement()),
        row('b', 'gateway', 'postgres', measurement()),
        row('c', 'gateway', 'postgres', measurement({ duplicates: 3 })),
      ]),
      false,
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Targets (bench/README.md): 1 of 2 rows met');
    expect(lines[1]).toMatch(/^#2 +b gateway\/postgres +met +p50 0\.70 ms/);
    expect(lines[2]).toMatch(/^#3 +c gateway\/postgres +missed .*MISSED 3 dup/);
  });

  it('checks nothing on a --quick run, whose scenarios are scaled down', () => {
    expect(
      formatVerdicts(targetVerdicts([row('b', 'gateway', 'postgres', measurement())]), true),
    ).toBe('Targets (bench/README.md): not checked: --quick scales the scenarios down');
  });
});

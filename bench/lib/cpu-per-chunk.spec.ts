import { cpuPerChunk } from './cpu-per-chunk';
import { emptyMeasurement, type Measurement } from './result-types';

/** d on PostgreSQL as a session-20 full run measured it. */
function saturated(overrides: Partial<Measurement> = {}): Measurement {
  return {
    ...emptyMeasurement(),
    chunksPerSecond: 5583,
    serverCpuPercent: 86.8,
    dbCpuPercent: 27.5,
    generatorCpuPercent: 35.2,
    ...overrides,
  };
}

describe('cpuPerChunk', () => {
  it('splits a saturation row into µs per chunk and the rate two cores allow at that cost', () => {
    const cost = cpuPerChunk(saturated(), 2, true);
    expect(cost?.serverUs).toBeCloseTo(155.5, 1);
    expect(cost?.databaseUs).toBeCloseTo(49.3, 1);
    expect(cost?.generatorUs).toBeCloseTo(63.0, 1);
    expect(cost?.totalUs).toBeCloseTo(267.8, 1);
    expect(cost?.ceilingPerSecond).toBeCloseTo(7469, 0);
  });

  it('counts no database where it runs inside the server, and scales the ceiling with the cores', () => {
    const cost = cpuPerChunk(saturated({ dbCpuPercent: null }), 4, true);
    expect(cost?.databaseUs).toBeNull();
    expect(cost?.totalUs).toBeCloseTo(218.5, 1);
    expect(cost?.ceilingPerSecond).toBeCloseTo(18_305, 0);
  });

  it('gives a paced row its cost but no ceiling: its rate is the pace, not the CPU', () => {
    const cost = cpuPerChunk(saturated({ chunksPerSecond: 2000 }), 2, false);
    expect(cost?.serverUs).toBeCloseTo(434, 0);
    expect(cost?.ceilingPerSecond).toBeNull();
  });

  it('has nothing to divide for idle connections or a row that delivered nothing', () => {
    const idle = saturated({
      idle: { rssBeforeMb: 190, rssAfterMb: 294, rssPerConnectionKb: 10.6 },
    });
    expect(cpuPerChunk(idle, 2, false)).toBeNull();
    expect(cpuPerChunk(saturated({ chunksPerSecond: 0 }), 2, true)).toBeNull();
  });
});

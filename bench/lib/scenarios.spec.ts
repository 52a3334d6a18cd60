import { measuredPlan, runnerOptions, scenariosFor, warmUpPlan } from './scenarios';

const full = (id: 'a' | 'b' | 'd' | 'e' | 'f') => scenariosFor([id], false)[0];

describe("the warm-up: the scenario's own load before the measured interval", () => {
  const options = runnerOptions(false);

  it('sends what the interval sends, at its pace and depth, on the same endpoint', () => {
    for (const id of ['b', 'd', 'e', 'f'] as const) {
      const scenario = full(id);
      const { sends: _measured, durationMs: _bound, ...shape } = measuredPlan(scenario);
      const { sends, durationMs, ...warmUpShape } = warmUpPlan(scenario, options);
      expect(warmUpShape).toEqual(shape);
      expect(sends).toBe(Infinity);
      expect(durationMs).toBe(3000);
    }
    expect(warmUpPlan(full('e'), options).path).toBe('/internal/webhook/stream/batch');
    expect(warmUpPlan(full('b'), options)).toMatchObject({ ratePerSecond: 2000, maxInFlight: 64 });
  });

  it('lasts until 1,000 requests have gone where the pace is slow (a: 200/s)', () => {
    expect(warmUpPlan(full('a'), options)).toMatchObject({ ratePerSecond: 200, durationMs: 5000 });
  });

  it('is shorter for --quick', () => {
    const [quickB] = scenariosFor(['b'], true);
    expect(warmUpPlan(quickB, runnerOptions(true)).durationMs).toBe(300);
  });
});

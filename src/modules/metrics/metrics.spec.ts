import { Metrics, PER_HANDLE_DEFAULT_METRICS } from './metrics';

describe('Metrics', () => {
  it('exports the process and runtime defaults, except those that visit every handle', async () => {
    const text = await new Metrics().registry.metrics();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_max_fds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'gateway_active_streams',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    for (const name of PER_HANDLE_DEFAULT_METRICS) expect(text).not.toContain(`# TYPE ${name} `);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ingestBetween, readGatewayCounters, serverStallsBetween } from './gateway-metrics';

/** A /metrics page the way prom-client writes one: the GC histogram has a line per kind. */
function page(batches: number, gcMinor: number, gcMajor: number, lagMax: number): string {
  return [
    '# HELP gateway_ingest_batch_size Events per group commit.',
    `gateway_ingest_batch_size_sum ${batches * 3}`,
    `gateway_ingest_batch_size_count ${batches}`,
    `gateway_ingest_commit_seconds_sum ${batches * 0.001}`,
    `nodejs_gc_duration_seconds_sum{kind="minor"} ${gcMinor * 0.004}`,
    `nodejs_gc_duration_seconds_count{kind="minor"} ${gcMinor}`,
    `nodejs_gc_duration_seconds_sum{kind="major"} ${gcMajor * 0.02}`,
    `nodejs_gc_duration_seconds_count{kind="major"} ${gcMajor}`,
    `nodejs_eventloop_lag_max_seconds ${lagMax}`,
    '',
  ].join('\n');
}

describe('the gateway metrics the bench reads', () => {
  let server: Server;
  let port: number;
  const pages: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/metrics' ? 200 : 404).end(pages.shift() ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('turns two reads into the interval’s commits and the server’s stalls', async () => {
    pages.push(page(10, 5, 1, 0.011), page(30, 9, 2, 0.0345));
    const before = await readGatewayCounters(port);
    const after = await readGatewayCounters(port);

    expect(ingestBetween(before, after)).toEqual({
      batches: 20,
      meanBatchSize: 3,
      meanCommitMs: expect.closeTo(1, 6) as number,
    });
    const stalls = serverStallsBetween(before, after);
    expect(stalls?.gcPauses).toBe(5); // 4 minor + 1 major, over both label sets
    expect(stalls?.gcTotalMs).toBeCloseTo(4 * 4 + 20, 6);
    expect(stalls?.gcMaxMs).toBeNull();
    expect(stalls?.loopDelayMaxMs).toBeCloseTo(24.5, 6); // the 10 ms sampling interval left out
  });

  it('gives nothing for a server without the gateway’s metrics', async () => {
    pages.push('');
    const counters = await readGatewayCounters(port);
    expect(counters).toBeNull();
    expect(serverStallsBetween(counters, counters)).toBeNull();
  });
});

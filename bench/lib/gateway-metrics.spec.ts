import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ingestBetween,
  p99,
  readGatewayCounters,
  serverStallsBetween,
  stageTailsBetween,
} from './gateway-metrics';

/** A latency histogram's bucket lines, cumulative, as prom-client writes them. */
function histogram(name: string, cumulative: number[]): string[] {
  const bounds = ['0.001', '0.0025', '0.005', '+Inf'];
  return bounds.map((le, i) => `${name}_bucket{le="${le}"} ${cumulative[i]}`);
}

/** A /metrics page the way prom-client writes one: the GC histogram has a line per kind. */
function page(
  batches: number,
  gcMinor: number,
  gcMajor: number,
  lagMax: number,
  request: number[] = [0, 0, 0, 0],
): string {
  return [
    ...histogram('gateway_webhook_duration_seconds', request),
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
    expect(stageTailsBetween(counters, counters)).toBeNull();
  });

  it('takes each stage’s p99 from the observations between two reads only', async () => {
    // Before: 1,000 fast ones. Between the reads: 90 under 2.5 ms and 10 in 2.5-5 ms.
    pages.push(
      page(10, 5, 1, 0.011, [1000, 1000, 1000, 1000]),
      page(30, 9, 2, 0.0345, [1050, 1090, 1100, 1100]),
    );
    const tails = stageTailsBetween(
      await readGatewayCounters(port),
      await readGatewayCounters(port),
    );
    // The 99th of 100 is the 9th of the 10 in (2.5, 5] ms: 2.5 + 2.5 * 9/10.
    expect(tails?.request?.count).toBe(100);
    expect(tails?.request?.p99Ms).toBeCloseTo(4.75, 6);
    expect(tails?.request?.atLeast).toBe(false);
    expect(tails?.commit).toBeNull(); // not on this page
  });
});

describe('p99 from a histogram', () => {
  const bounds = [0.001, 0.0025, 0.005, Infinity];

  it('interpolates inside the first bucket from zero', () => {
    expect(p99(bounds, [100, 100, 100, 100])?.p99Ms).toBeCloseTo(0.99, 6);
  });

  it('gives the last finite bound as a lower bound when the tail is past it', () => {
    expect(p99(bounds, [90, 90, 90, 100])).toEqual({ count: 100, p99Ms: 5, atLeast: true });
  });

  it('gives nothing without observations', () => {
    expect(p99(bounds, [0, 0, 0, 0])).toBeNull();
  });
});

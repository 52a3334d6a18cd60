import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * prom-client default metrics that visit every open handle or file descriptor on each scrape
 * (`process._getActiveHandles()`, `process.getActiveResourcesInfo()`, a readdir of
 * /proc/self/fd). With 10,000 streams open they held the event loop, and so every stream, for
 * tens of milliseconds per scrape (bench/metrics-scrape.ts); gateway_active_streams counts the
 * connections that make them large.
 */
export const PER_HANDLE_DEFAULT_METRICS = [
  'process_open_fds',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
];

/**
 * The gateway's Prometheus metrics, one registry per app so tests and instances never share. The
 * latency histograms have a 20 ms bucket: it is the p99 objective the benchmarks hold the gateway
 * to (bench/README.md), so a quantile near it is read at a bucket edge, not guessed across 10-25.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly eventsIngested = new Counter({
    name: 'gateway_events_ingested_total',
    help: 'Worker events stored (duplicates excluded)',
    registers: [this.registry],
  });

  readonly eventsDelivered = new Counter({
    name: 'gateway_events_delivered_total',
    help: 'Events written to SSE streams',
    registers: [this.registry],
  });

  readonly activeStreams = new Gauge({
    name: 'gateway_active_streams',
    help: 'Open SSE streams',
    registers: [this.registry],
  });

  readonly webhookDuration = new Histogram({
    name: 'gateway_webhook_duration_seconds',
    help: 'Time from a webhook request being received to its acknowledgement (2xx answers only)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly ingestToDelivery = new Histogram({
    name: 'gateway_ingest_to_delivery_seconds',
    help: 'Time from an event being stored to it being written to a stream',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly ingestBatchSize = new Histogram({
    name: 'gateway_ingest_batch_size',
    help: 'Events per group-commit batch',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });

  readonly ingestCommitDuration = new Histogram({
    name: 'gateway_ingest_commit_seconds',
    help: 'Time to store one group-commit batch (the database part of a webhook answer)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly prunedRows = new Counter({
    name: 'gateway_pruned_rows_total',
    help: 'Expired task messages deleted by the pruner',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    for (const name of PER_HANDLE_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
  }
}

// The gateway's own view of ingest (its Prometheus /metrics): how many group-commit batches the
// measured interval took, how big they were and how long the database part took. Read before and
// after the interval; the baseline has no /metrics and gets null.
import { httpRequest } from './http-json';

export interface IngestCounters {
  batches: number;
  events: number;
  commitSeconds: number;
}

export interface IngestFigures {
  batches: number;
  meanBatchSize: number;
  meanCommitMs: number;
}

export async function readIngestCounters(port: number): Promise<IngestCounters | null> {
  const answer = await httpRequest(undefined, port, 'GET', '/metrics', {}, null, 5000).catch(
    () => null,
  );
  if (answer?.status !== 200) return null;
  const value = (name: string): number | null => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(answer.body);
    return match === null ? null : Number(match[1]);
  };
  const batches = value('gateway_ingest_batch_size_count');
  const events = value('gateway_ingest_batch_size_sum');
  const commitSeconds = value('gateway_ingest_commit_seconds_sum');
  if (batches === null || events === null || commitSeconds === null) return null;
  return { batches, events, commitSeconds };
}

export function ingestBetween(
  before: IngestCounters | null,
  after: IngestCounters | null,
): IngestFigures | null {
  if (before === null || after === null) return null;
  const batches = after.batches - before.batches;
  if (batches <= 0) return null;
  return {
    batches,
    meanBatchSize: (after.events - before.events) / batches,
    meanCommitMs: ((after.commitSeconds - before.commitSeconds) * 1000) / batches,
  };
}

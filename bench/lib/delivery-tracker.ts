// Counts what the subscribers received: latency of each artifact-update (send time is embedded in
// the chunk text by the publisher), duplicates and out-of-order by the worker `sequence` echoed in
// `artifactUpdate.metadata.sequence`, and SSE ids that fail to increase.
import { SampleBuffer } from './sample-buffer';
import { parseSentAt } from './chunk-bodies';
import type { SubscriberEvents } from './sse-subscriber';

/** Per-sequence send/receive times of subscriber 0, for the long-stream scenario's windows. */
export interface Timeline {
  sentAt: Float64Array;
  receivedAt: Float64Array;
}

export class DeliveryTracker implements SubscriberEvents {
  readonly latencies = new SampleBuffer();
  delivered = 0;
  duplicates = 0;
  outOfOrder = 0;
  idRegressions = 0;
  otherEvents = 0;
  malformed = 0;
  firstMalformed = '';
  /** Streams the server closed while the scenario was running. */
  closedByServer = 0;
  lastReceivedAt = 0;
  readonly timeline: Timeline | null;
  private finished = false;
  private readonly lastSequence: Int32Array;
  private readonly lastId: Float64Array;
  private readonly seen: (Uint8Array | undefined)[];

  /**
   * @param expectedPerSubscriber chunks each stream will carry, when known: their duplicate
   * bitmaps are made now, in the setup, instead of on each stream's first chunk. In c that was
   * 10,000 typed arrays made inside the measured interval, all kept: 2.4 MB the generator's
   * scavenges copied and promoted (session 11, a sampling heap profile of the interval).
   */
  constructor(subscribers: number, timelineLength: number, expectedPerSubscriber = 0) {
    this.lastSequence = new Int32Array(subscribers);
    this.lastId = new Float64Array(subscribers).fill(-Infinity);
    this.seen = new Array<Uint8Array | undefined>(subscribers);
    if (Number.isFinite(expectedPerSubscriber) && expectedPerSubscriber > 0)
      for (let i = 0; i < subscribers; i++)
        this.seen[i] = new Uint8Array(expectedPerSubscriber + 1);
    this.timeline =
      timelineLength > 0
        ? {
            sentAt: new Float64Array(timelineLength + 1),
            receivedAt: new Float64Array(timelineLength + 1),
          }
        : null;
  }

  /** Stop counting: the harness is about to close the streams itself. */
  finish(): void {
    this.finished = true;
  }

  onEvent(index: number, id: number, event: string, data: string, receivedAt: number): void {
    if (!Number.isNaN(id)) {
      if (id <= this.lastId[index]) this.idRegressions++;
      this.lastId[index] = id;
    }
    if (event !== 'artifact-update') {
      this.otherEvents++;
      return;
    }
    const update = readArtifactUpdate(data);
    if (update === null) {
      this.malformed++;
      if (this.firstMalformed === '') this.firstMalformed = data.slice(0, 300);
      return;
    }
    const { sequence, sentAt } = update;
    if (this.markSeen(index, sequence)) {
      this.duplicates++;
      return;
    }
    if (sequence < this.lastSequence[index]) this.outOfOrder++;
    else this.lastSequence[index] = sequence;
    this.delivered++;
    this.lastReceivedAt = receivedAt;
    this.latencies.push(receivedAt - sentAt);
    if (this.timeline !== null && index === 0 && sequence < this.timeline.sentAt.length) {
      this.timeline.sentAt[sequence] = sentAt;
      this.timeline.receivedAt[sequence] = receivedAt;
    }
  }

  onClose(): void {
    if (!this.finished) this.closedByServer++;
  }

  /** Records `sequence` as received by subscriber `index`; true when it already was. */
  private markSeen(index: number, sequence: number): boolean {
    let seen = this.seen[index];
    if (seen === undefined || sequence >= seen.length) {
      const grown = new Uint8Array(Math.max(16, sequence * 2));
      if (seen !== undefined) grown.set(seen);
      seen = grown;
      this.seen[index] = seen;
    }
    if (seen[sequence] === 1) return true;
    seen[sequence] = 1;
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The worker sequence and the embedded send time of an artifact-update, or null if absent. */
function readArtifactUpdate(data: string): { sequence: number; sentAt: number } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || !isRecord(parsed.artifactUpdate)) return null;
  const { artifact, metadata } = parsed.artifactUpdate;
  if (!isRecord(metadata) || typeof metadata.sequence !== 'number') return null;
  if (!isRecord(artifact) || !Array.isArray(artifact.parts)) return null;
  const part: unknown = artifact.parts[0];
  if (!isRecord(part) || typeof part.text !== 'string') return null;
  const sentAt = parseSentAt(part.text);
  if (Number.isNaN(sentAt)) return null;
  return { sequence: metadata.sequence, sentAt };
}

// Webhook bodies for the i-th send of a scenario. The chunk text carries the send time
// (`t:<performance.now() ms>`), so latency needs no shared map: subscriber and publisher live in
// one process and read one clock. Per-task JSON prefixes are built once; a send only appends
// the sequence and the time.
const TIME_PREFIX = 't:';

export function parseSentAt(text: string): number {
  return text.startsWith(TIME_PREFIX) ? Number(text.slice(TIME_PREFIX.length)) : NaN;
}

/**
 * Sends go round-robin over the tasks: send i is for task i % tasks and carries that task's next
 * `batchSize` sequences, so each task's sequences are sent in order (as one worker would).
 */
export class ChunkBodies {
  private readonly prefixes: string[];

  constructor(
    taskIds: readonly string[],
    readonly batchSize: number,
  ) {
    this.prefixes = taskIds.map(
      (id) => `{"task_id":${JSON.stringify(id)},"artifact_id":"a1","is_last":false,"sequence":`,
    );
  }

  get tasks(): number {
    return this.prefixes.length;
  }

  taskOf(send: number): number {
    return send % this.prefixes.length;
  }

  /** The body of send `send`, stamped with `sentAt`. */
  build(send: number, sentAt: number): string {
    const task = send % this.prefixes.length;
    const firstSequence = Math.floor(send / this.prefixes.length) * this.batchSize + 1;
    const chunk = `,"chunk":"${TIME_PREFIX}${sentAt.toFixed(3)}"}`;
    if (this.batchSize === 1) return this.prefixes[task] + firstSequence + chunk;
    let events = '';
    for (let k = 0; k < this.batchSize; k++) {
      events += `${k === 0 ? '' : ','}${this.prefixes[task]}${firstSequence + k}${chunk}`;
    }
    return `{"events":[${events}]}`;
  }
}

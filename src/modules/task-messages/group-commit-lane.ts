interface Queued<T, R> {
  items: T[];
  keys: Set<string>;
  resolve: (results: R[]) => void;
  reject: (error: unknown) => void;
}

/** When a second commit may start while one is in flight (without it, one at a time). */
export interface LaneOverlap<T> {
  /** Items with the same key are committed in the order they were pushed (the task id). */
  keyOf: (item: T) => string;
  /** A second commit starts only with at least this many items: a small one costs more than it saves. */
  minItems: number;
}

const MAX_IN_FLIGHT = 2;

/**
 * Group commit: items queue while a commit is in flight and go out together in the next one;
 * each caller's promise settles with its own results once that commit is done. No timer: an item
 * that finds the lane with room waits one event-loop turn and goes, with whatever joined it. A
 * group (one webhook batch) shares one promise and is never split across commits. With `overlap`,
 * a second commit may go beside the one in flight, with items whose keys are not in flight.
 */
export class GroupCommitLane<T, R> {
  private readonly queue: Queued<T, R>[] = [];
  private inFlight = 0;
  /** Keys of the items in flight, with how many commits hold each. */
  private readonly busy = new Map<string, number>();
  private pumpScheduled = false;
  /** Items in the queue, so a push can tell cheaply whether a second commit could start. */
  private queuedItems = 0;

  /** @param maxBatch items per commit; a larger group goes alone */
  constructor(
    private readonly maxBatch: number,
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly overlap?: LaneOverlap<T>,
  ) {}

  push(item: T): Promise<R> {
    return this.pushAll([item]).then((results) => results[0]);
  }

  pushAll(items: T[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      const keys = new Set(this.overlap ? items.map(this.overlap.keyOf) : []);
      this.queue.push({ items, keys, resolve, reject });
      this.queuedItems += items.length;
      if (this.hasRoom() && !this.pumpScheduled) {
        // One turn of the event loop first: requests already in socket buffers join this item
        // instead of each going in a commit of its own.
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.hasRoom()) {
      const taken = this.take();
      if (taken.length === 0) return;
      const count = taken.reduce((n, i) => n + this.queue[i].items.length, 0);
      if (this.inFlight > 0 && count < (this.overlap?.minItems ?? Infinity)) return;
      const groups = taken.map((i) => this.queue[i]);
      for (let k = taken.length - 1; k >= 0; k--) this.queue.splice(taken[k], 1);
      this.queuedItems -= count;
      this.start(groups);
    }
  }

  /** Whether queued items could start a commit now (for a second one, enough of them). */
  private hasRoom(): boolean {
    if (this.inFlight === 0) return true;
    const overlap = this.overlap;
    return (
      overlap !== undefined && this.inFlight < MAX_IN_FLIGHT && this.queuedItems >= overlap.minItems
    );
  }

  private start(groups: Queued<T, R>[]): void {
    this.inFlight += 1;
    for (const g of groups)
      for (const key of g.keys) this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
    const done = (answer: () => void) => {
      this.inFlight -= 1;
      for (const g of groups)
        for (const key of g.keys) {
          const n = (this.busy.get(key) ?? 1) - 1;
          if (n === 0) this.busy.delete(key);
          else this.busy.set(key, n);
        }
      // The next commit goes to the database before these callers are answered: their
      // responses are written in time the event loop would otherwise spend waiting for it.
      this.pump();
      answer();
    };
    this.commit(groups.flatMap((g) => g.items)).then(
      (results) =>
        done(() => {
          let at = 0;
          for (const group of groups) {
            group.resolve(results.slice(at, at + group.items.length));
            at += group.items.length;
          }
        }),
      (error: unknown) =>
        done(() => {
          for (const group of groups) group.reject(error);
        }),
    );
  }

  /**
   * Indexes of the queued groups that go in the next commit, in order: at least one, whatever its
   * size. A group with a key in flight waits, and so does every later group sharing a key with it.
   */
  private take(): number[] {
    const taken: number[] = [];
    const blocked = new Set<string>();
    let count = 0;
    for (let i = 0; i < this.queue.length; i++) {
      const group = this.queue[i];
      if (this.waits(group, blocked)) {
        for (const k of group.keys) blocked.add(k);
        continue;
      }
      if (taken.length > 0 && count + group.items.length > this.maxBatch) break;
      taken.push(i);
      count += group.items.length;
    }
    return taken;
  }

  private waits(group: Queued<T, R>, blocked: ReadonlySet<string>): boolean {
    for (const key of group.keys) if (this.busy.has(key) || blocked.has(key)) return true;
    return false;
  }
}

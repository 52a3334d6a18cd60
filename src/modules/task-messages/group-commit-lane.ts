interface Queued<T, R> {
  items: T[];
  resolve: (results: R[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items queue while a commit is in flight and go out together in the next one;
 * each caller's promise settles with its own results once that commit is done. No timer: an item
 * that finds the lane idle waits one event-loop turn and goes, with whatever joined it. A group
 * (one webhook batch) shares one promise and is never split across commits.
 */
export class GroupCommitLane<T, R> {
  private queue: Queued<T, R>[] = [];
  private flushing = false;

  /** @param maxBatch items per commit; a larger group goes alone */
  constructor(
    private readonly maxBatch: number,
    private readonly commit: (items: T[]) => Promise<R[]>,
  ) {}

  push(item: T): Promise<R> {
    return this.pushAll([item]).then((results) => results[0]);
  }

  pushAll(items: T[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      // One turn of the event loop first: requests already in socket buffers join the first
      // item instead of each going in a commit of its own. Later commits take what queued while
      // the one before them was in the database.
      await new Promise((resolve) => setImmediate(resolve));
      let answerPrevious: (() => void) | undefined;
      while (this.queue.length > 0) {
        const groups = this.take();
        const committed = this.commit(groups.flatMap((g) => g.items));
        // The previous commit's callers are answered while this one is in the database: their
        // responses are written in time the event loop would otherwise spend waiting for it.
        answerPrevious?.();
        answerPrevious = await committed.then(
          (results) => () => {
            let at = 0;
            for (const group of groups) {
              group.resolve(results.slice(at, at + group.items.length));
              at += group.items.length;
            }
          },
          (error: unknown) => () => {
            for (const group of groups) group.reject(error);
          },
        );
      }
      answerPrevious?.();
    } finally {
      this.flushing = false;
    }
  }

  /** The queued groups that fit in one commit: at least one, whatever its size. */
  private take(): Queued<T, R>[] {
    let count = this.queue[0].items.length;
    let taken = 1;
    while (taken < this.queue.length && count + this.queue[taken].items.length <= this.maxBatch) {
      count += this.queue[taken].items.length;
      taken += 1;
    }
    return this.queue.splice(0, taken);
  }
}

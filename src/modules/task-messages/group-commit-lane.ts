interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items queue while a commit is in flight and go out together in the next one;
 * each caller's promise settles with its own result once that commit is done. No timer: an item
 * that finds the lane idle waits one event-loop turn and goes, with whatever joined it.
 */
export class GroupCommitLane<T, R> {
  private queue: Queued<T, R>[] = [];
  private flushing = false;

  constructor(
    private readonly maxBatch: number,
    private readonly commit: (items: T[]) => Promise<R[]>,
  ) {}

  push(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop first: requests already in socket buffers join this batch.
        // Without it an in-process database (PGlite runs its WASM synchronously and resolves in
        // microtasks) never lets I/O in during a flush, and every commit carries one item.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.commit(batch.map((q) => q.item));
          batch.forEach((q, i) => q.resolve(results[i]));
        } catch (error) {
          batch.forEach((q) => q.reject(error));
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

import type { TaskLogRow } from '../batch-planner';

/**
 * The log columns of recently written tasks, as this instance last saw them committed. Only a
 * guess: every write that relies on a cached row is conditional on the row being unchanged, so
 * a stale entry (another instance wrote, a test changed the row) costs a retry, never an error.
 * Bounded: the least recently written tasks are dropped first.
 */
export class TaskRowCache {
  private readonly rows = new Map<string, TaskLogRow>();

  constructor(private readonly capacity: number) {}

  get(taskId: string): TaskLogRow | undefined {
    return this.rows.get(taskId);
  }

  set(row: TaskLogRow): void {
    // Re-inserted so that Map order is recency order: eviction takes the first keys.
    this.rows.delete(row.id);
    this.rows.set(row.id, row);
    if (this.rows.size > this.capacity) {
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
  }

  delete(taskId: string): void {
    this.rows.delete(taskId);
  }

  get size(): number {
    return this.rows.size;
  }
}

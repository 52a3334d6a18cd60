import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type TaskState } from '../../../libs/contracts/src';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { DomainEvents, type TaskStatusChangedEvent } from '../../common/events/domain-events';
import { TaskEventBus } from '../bus/task-event-bus';
import { Metrics } from '../metrics/metrics';
import type { AppendItem, AppendOutcome, BatchResult } from './append-item';
import type { StoredEvent } from './stored-event';
import { type ReplayPosition, TaskMessagesRepository } from './task-messages.repository';

interface Queued {
  item: AppendItem;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The only writer of task event logs. Appends queue while a transaction is in flight and go
 * out together in the next one (group commit): each caller's promise settles after the commit
 * that stored its event, then the new events are published. Durability without a round trip
 * per event, and no added delay when the queue is empty.
 */
@Injectable()
export class TaskMessagesService implements OnApplicationShutdown {
  private readonly logger = new Logger(TaskMessagesService.name);
  private queue: Queued[] = [];
  private flushing = false;
  private readonly gapTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly repository: TaskMessagesRepository,
    private readonly bus: TaskEventBus,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  append(item: AppendItem): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  appendAll(items: AppendItem[]): Promise<AppendOutcome[]> {
    return Promise.all(items.map((item) => this.append(item)));
  }

  readAfter(taskId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    return this.repository.readAfter(taskId, afterId, limit);
  }

  position(taskId: string): Promise<ReplayPosition | null> {
    return this.repository.position(taskId);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
            while (this.queue.length > 0) {
        // One turn of the event loop first: requests already in socket buffers join this batch.
        // Without it an in-process database (PGlite runs its WASM synchronously and resolves in
        // microtasks) never lets I/O in during a flush, and every commit carries one event.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.config.INGEST_MAX_BATCH);
        try {
          const result = await this.repository.appendBatch(
            batch.map((q) => q.item),
            this.clock.now(),
          );
          batch.forEach((q, i) => q.resolve(result.outcomes[i]));
          this.metrics.eventsIngested.inc(result.events.length);
          await this.afterCommit(result);
        } catch (error) {
          this.logger.error({ err: error }, `Storing a batch of ${batch.length} events failed`);
          batch.forEach((q) => q.reject(error));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async afterCommit(result: BatchResult): Promise<void> {
    for (const taskId of result.tasksWithPending) this.armGapTimer(taskId);
    if (result.events.length === 0) return;
    const storedAt = Date.now();
    for (const event of result.events) event.storedAt = storedAt;
    try {
      await this.bus.publish(result.events);
    } catch (error) {
      // Stored is what counts: subscribers catch up from the store on their next event or reconnect.
      this.logger.warn({ err: error }, 'Publishing stored events failed');
    }
    this.events.emit(DomainEvents.TaskMessagesStored, { events: result.events });
    for (const event of result.events) {
      if (event.event !== 'status-update') continue;
      const state = (JSON.parse(event.data) as { statusUpdate: { status: { state: TaskState } } })
        .statusUpdate.status.state;
      const changed: TaskStatusChangedEvent = {
        taskId: event.taskId,
        state,
        terminal: event.terminal,
      };
      this.events.emit(DomainEvents.TaskStatusChanged, changed);
    }
  }

  /**
   * An event that arrived early waits about one window for the sequences before it: the timer
   * fires a window after a task starts waiting, and again while younger events still wait.
   */
  private armGapTimer(taskId: string): void {
    if (this.gapTimers.has(taskId)) return;
    const timer = setTimeout(() => {
      this.gapTimers.delete(taskId);
      void this.closeGaps(taskId);
    }, this.config.WEBHOOK_REORDER_WINDOW_MS);
    timer.unref();
    this.gapTimers.set(taskId, timer);
  }

  async closeGaps(taskId: string): Promise<void> {
    try {
      const now = this.clock.now();
      const before = new Date(now.getTime() - this.config.WEBHOOK_REORDER_WINDOW_MS);
      const result = await this.repository.closeGaps(taskId, now, before);
      await this.afterCommit(result);
    } catch (error) {
      this.logger.error({ err: error, taskId }, 'Closing the reorder window failed');
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.gapTimers.values()) clearTimeout(timer);
    this.gapTimers.clear();
  }
}

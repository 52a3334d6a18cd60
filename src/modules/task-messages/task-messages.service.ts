import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type TaskState } from '../../../libs/contracts/src';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import type { TaskScope } from '../../common/http/agent-scope.decorator';
import {
  DomainEvents,
  type TaskMessagesStoredEvent,
  type TaskStatusChangedEvent,
} from '../../common/events/domain-events';
import { TaskEventBus } from '../bus/task-event-bus';
import { Metrics } from '../metrics/metrics';
import { type AppendItem, type AppendOutcome, type BatchResult, itemTaskId } from './append-item';
import { GroupCommitLane } from './group-commit-lane';
import type { StoredEvent } from './stored-event';
import { type ReplayPosition, TaskMessagesRepository } from './task-messages.repository';

/**
 * Events that must be waiting, on tasks not in the commit in flight, before a second commit starts
 * beside it: about half of what a commit holds at saturation with batches (bench e: 310). Smaller
 * second commits cost more than the overlap saved (bench e on PostgreSQL, alternating rounds:
 * with 64, 33,281 / 31,374 / 46,459 chunks/s; with 160, 37,849 / 38,234 / 41,851; one commit at
 * a time, 33,101 / 33,430 / 39,173). Single-event webhooks (d) never queue that many with 64 in
 * flight, and session 5 measured them slower with two commits: they keep one at a time.
 */
const OVERLAP_MIN_EVENTS = 160;

/** Tasks one stale-gap sweep closes at most; the next sweep takes the rest. */
const STALE_GAP_SWEEP_LIMIT = 100;
const STALE_GAP_SWEEP_MIN_MS = 1000;

/**
 * The only writer of task event logs. Appends go through one group-commit lane: each caller's
 * promise settles after the statement that stored its event, then the new events are
 * published. A second commit goes beside the one in flight only on other tasks (a task's events
 * are stored in order) and only when many events wait (OVERLAP_MIN_EVENTS).
 */
@Injectable()
export class TaskMessagesService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TaskMessagesService.name);
  private readonly lane: GroupCommitLane<AppendItem, AppendOutcome>;
  private readonly gapTimers = new Map<string, NodeJS.Timeout>();
  private staleGapSweep?: NodeJS.Timeout;

  constructor(
    private readonly repository: TaskMessagesRepository,
    private readonly bus: TaskEventBus,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {
    this.lane = new GroupCommitLane(config.INGEST_MAX_BATCH, (items) => this.commit(items), {
      keyOf: itemTaskId,
      minItems: OVERLAP_MIN_EVENTS,
    });
  }

  append(item: AppendItem): Promise<AppendOutcome> {
    return this.lane.push(item);
  }

  /** Stores the items in one commit (a webhook batch), each with its own outcome. */
  appendAll(items: AppendItem[]): Promise<AppendOutcome[]> {
    return this.lane.pushAll(items);
  }

  readAfter(taskId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    return this.repository.readAfter(taskId, afterId, limit);
  }

  position(scope: TaskScope, taskId: string): Promise<ReplayPosition | null> {
    return this.repository.position(scope, taskId);
  }

  private async commit(items: AppendItem[]): Promise<AppendOutcome[]> {
    const started = performance.now();
    try {
      const result = await this.repository.appendBatch(items, this.clock.now());
      this.metrics.ingestCommitDuration.observe((performance.now() - started) / 1000);
      this.metrics.ingestBatchSize.observe(items.length);
      this.metrics.eventsIngested.inc(result.events.length);
      this.afterCommit(result);
      return result.outcomes;
    } catch (error) {
      this.logger.error({ err: error }, `Storing a batch of ${items.length} events failed`);
      throw error;
    }
  }

  private afterCommit(result: BatchResult): void {
    for (const taskId of result.tasksWithPending) this.armGapTimer(taskId);
    if (result.events.length === 0) return;
    const storedAt = Date.now();
    for (const event of result.events) event.storedAt = storedAt;
    // Not awaited: stored is what counts, and a broker that is down must not hold back the
    // acknowledgements (the Redis publisher fails at once then). This instance's streams get
    // the events synchronously inside publish; the others catch up from the store when the
    // broker connection is back, or on their next event.
    this.bus.publish(result.events).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'Publishing stored events failed');
    });
    const stored: TaskMessagesStoredEvent = {
      events: result.events,
      tasksWithPushConfigs: result.tasksWithPushConfigs,
    };
    this.events.emit(DomainEvents.TaskMessagesStored, stored);
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
      this.afterCommit(result);
    } catch (error) {
      this.logger.error({ err: error, taskId }, 'Closing the reorder window failed');
    }
  }

  /**
   * Early events whose instance stopped before its reorder timer fired are stored and
   * acknowledged but have no id: whichever instance sweeps next gives them one. Returns how
   * many tasks it closed gaps for.
   */
  async closeStaleGaps(now = this.clock.now()): Promise<number> {
    const before = new Date(now.getTime() - this.config.WEBHOOK_REORDER_WINDOW_MS);
    const taskIds = await this.repository.tasksWaitingSince(before, STALE_GAP_SWEEP_LIMIT);
    const stale = taskIds.filter((taskId) => !this.gapTimers.has(taskId));
    for (const taskId of stale) await this.closeGaps(taskId);
    return stale.length;
  }

  onModuleInit(): void {
    const every = Math.max(STALE_GAP_SWEEP_MIN_MS, this.config.WEBHOOK_REORDER_WINDOW_MS * 5);
    this.staleGapSweep = setInterval(() => {
      this.closeStaleGaps().catch((error: unknown) =>
        this.logger.error({ err: error }, 'Sweeping stale reorder windows failed'),
      );
    }, every);
    this.staleGapSweep.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.staleGapSweep);
    for (const timer of this.gapTimers.values()) clearTimeout(timer);
    this.gapTimers.clear();
  }
}

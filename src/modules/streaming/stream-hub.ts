import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { TaskEventBus } from '../bus/task-event-bus';
import { Metrics } from '../metrics/metrics';
import type { StoredEvent } from '../task-messages/stored-event';
import { TaskMessagesService } from '../task-messages/task-messages.service';
import type { StreamSubscriber } from './stream-subscriber';

const PAGE_SIZE = 500;
const MAX_FRUITLESS_READS = 3;
/**
 * Event-loop time the keep-alive sweep takes before it yields. A time budget rather than a count
 * of streams: a socket write's cost differs severalfold between hosts (about 30 µs on a slow one),
 * and there a slice of 256 writes held requests back for some 8 ms.
 */
const KEEPALIVE_SLICE_MS = 1;
/** Streams reading the store at once after the bus may have lost events. */
const RECHECK_SLICE = 32;

/**
 * Per-task fan-out of this instance's open streams. One bus subscription for the process; each
 * subscriber is attached before its history is read, so nothing committed in between is missed,
 * and ids already sent are dropped, so nothing is sent twice. Ids in a task's log are contiguous:
 * a subscriber that sees a jump fetches the gap from the store (bus reordering across instances,
 * a lost publish), the same path that replays history.
 */
@Injectable()
export class StreamHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StreamHub.name);
  private readonly byTask = new Map<string, Set<StreamSubscriber>>();
  private unsubscribeBus?: () => void;
  private unsubscribeMissed?: () => void;
  private keepAliveTimer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly bus: TaskEventBus,
    private readonly taskMessages: TaskMessagesService,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.unsubscribeBus = this.bus.subscribe((events) => this.receive(events));
    this.unsubscribeMissed = this.bus.onMissed(() => void this.recheckAll());
    this.keepAliveTimer = setInterval(() => void this.keepAlive(), this.config.SSE_KEEPALIVE_MS);
    this.keepAliveTimer.unref();
  }

  /** Ends every open stream (shutdown): clients reconnect, to another instance if need be. */
  onModuleDestroy(): void {
    this.unsubscribeBus?.();
    this.unsubscribeMissed?.();
    clearInterval(this.keepAliveTimer);
    this.endStreams();
  }

  /** Ends the open streams of one task, or of all; their clients reconnect with Last-Event-ID. */
  endStreams(taskId?: string): number {
    const sets = taskId
      ? [this.byTask.get(taskId) ?? new Set<StreamSubscriber>()]
      : [...this.byTask.values()];
    let ended = 0;
    for (const set of sets) {
      for (const subscriber of [...set]) {
        subscriber.end();
        ended += 1;
      }
    }
    return ended;
  }

  get subscriberCount(): number {
    let count = 0;
    for (const set of this.byTask.values()) count += set.size;
    return count;
  }

  get taskCount(): number {
    return this.byTask.size;
  }

  /**
   * Attaches a subscriber and replays what it lacks; from then on it receives live events.
   * `prelude` runs after attaching and before the replay (a snapshot that moves `lastId`).
   */
  attach(subscriber: StreamSubscriber, prelude?: () => Promise<void>): void {
    let set = this.byTask.get(subscriber.taskId);
    if (!set) {
      set = new Set();
      this.byTask.set(subscriber.taskId, set);
    }
    set.add(subscriber);
    this.metrics.activeStreams.inc();
    subscriber.onClose(() => this.detach(subscriber));
    void this.start(subscriber, prelude);
  }

  private async start(subscriber: StreamSubscriber, prelude?: () => Promise<void>): Promise<void> {
    try {
      await prelude?.();
    } catch (error) {
      this.logger.warn(
        { err: error, taskId: subscriber.taskId },
        'Opening a stream failed; closing it',
      );
      subscriber.end();
      return;
    }
    if (!subscriber.closed) await this.catchUp(subscriber);
  }

  private detach(subscriber: StreamSubscriber): void {
    const set = this.byTask.get(subscriber.taskId);
    if (!set?.delete(subscriber)) return;
    this.metrics.activeStreams.dec();
    if (set.size === 0) this.byTask.delete(subscriber.taskId);
  }

  /**
   * A batch's events for one stream leave in one socket write: each stream is corked on its first
   * event and uncorked after the batch (a webhook batch of 10 events had cost 10 writes).
   */
  private receive(events: readonly StoredEvent[]): void {
    const corked: StreamSubscriber[] = [];
    for (const event of events) {
      const set = this.byTask.get(event.taskId);
      if (!set) continue;
      for (const subscriber of set) {
        if (subscriber.cork()) corked.push(subscriber);
        this.offer(subscriber, event);
      }
    }
    for (const subscriber of corked) subscriber.uncork();
  }

  private offer(subscriber: StreamSubscriber, event: StoredEvent): void {
    if (subscriber.buffer) {
      subscriber.buffer.push(event);
    } else if (event.id === subscriber.lastId + 1) {
      subscriber.deliver(event);
    } else if (event.id > subscriber.lastId) {
      subscriber.buffer = [event];
      void this.catchUp(subscriber);
    }
  }

  /**
   * The bus may have lost other instances' events while its connection was down: every live
   * stream reads the store once, as for a gap, a slice at a time so that they do not all wait
   * for the pool at once. A stream already catching up is reading the store anyway.
   */
  private async recheckAll(): Promise<void> {
    const live = this.allSubscribers();
    for (let i = 0; i < live.length; i += RECHECK_SLICE) {
      const idle = live
        .slice(i, i + RECHECK_SLICE)
        .filter((subscriber) => !subscriber.closed && subscriber.buffer === null);
      for (const subscriber of idle) subscriber.buffer = [];
      await Promise.all(idle.map((subscriber) => this.catchUp(subscriber)));
    }
  }

  /** Sends the stored events after `lastId`, then whatever arrived live meanwhile, then goes live. */
  private async catchUp(subscriber: StreamSubscriber): Promise<void> {
    let fruitlessReads = 0;
    try {
      for (;;) {
        const page = await this.taskMessages.readAfter(
          subscriber.taskId,
          subscriber.lastId,
          PAGE_SIZE,
        );
        fruitlessReads = page.length === 0 ? fruitlessReads + 1 : 0;
        // A page leaves in one write, as a live batch does (receive).
        const corked = subscriber.cork();
        const readAgain = this.sendPage(subscriber, page, fruitlessReads >= MAX_FRUITLESS_READS);
        if (corked) subscriber.uncork();
        if (!readAgain) return;
      }
    } catch (error) {
      this.logger.warn(
        { err: error, taskId: subscriber.taskId },
        'Catching a stream up failed; closing it',
      );
      subscriber.end();
    }
  }

  /**
   * One page of stored events, then the parked live ones that follow on from it. Returns whether
   * the store must be read again: the page was full, or a hole is left before the next parked
   * event. A hole the store cannot fill either (pruned meanwhile: `stepOver`) is stepped over.
   */
  private sendPage(subscriber: StreamSubscriber, page: StoredEvent[], stepOver: boolean): boolean {
    for (const event of page) subscriber.deliver(event);
    if (subscriber.closed) return false;
    if (page.length === PAGE_SIZE) return true;
    const parked = (subscriber.buffer ?? [])
      .filter((e) => e.id > subscriber.lastId)
      .sort((a, b) => a.id - b.id);
    let next = 0;
    while (next < parked.length && (stepOver || parked[next].id === subscriber.lastId + 1))
      subscriber.deliver(parked[next++]);
    if (subscriber.closed) return false;
    const rest = parked.slice(next);
    if (rest.length === 0) {
      subscriber.buffer = null;
      return false;
    }
    // Still a hole before the next parked event: it was stored after our read; read again.
    subscriber.buffer = rest;
    return true;
  }

  /** A copy of every open stream's subscriber, for a sweep that may yield while it goes. */
  private allSubscribers(): StreamSubscriber[] {
    return [...this.byTask.values()].flatMap((set) => [...set]);
  }

  /**
   * Pings the streams that have been quiet for half an interval or more, and ends the ones past
   * SSE_MAX_AGE_MS. In slices of KEEPALIVE_SLICE_MS, yielding to the event loop between them: one
   * synchronous sweep over 10,000 streams held every other request back for tens of milliseconds
   * (the p99 of bench scenario c).
   */
  private async keepAlive(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const maxAge = this.config.SSE_MAX_AGE_MS;
      const quietSince = Date.now() - this.config.SSE_KEEPALIVE_MS / 2;
      const subscribers = this.allSubscribers();
      let sliceStarted = performance.now();
      for (const subscriber of subscribers) {
        if (performance.now() - sliceStarted >= KEEPALIVE_SLICE_MS) {
          await new Promise(setImmediate);
          sliceStarted = performance.now();
        }
        if (maxAge > 0 && Date.now() - subscriber.openedAt > maxAge) subscriber.end();
        else if (subscriber.lastWriteAt <= quietSince) subscriber.write(': keep-alive\n\n');
      }
    } finally {
      this.sweeping = false;
    }
  }
}

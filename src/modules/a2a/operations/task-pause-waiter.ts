import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TaskEventBus } from '../../bus/task-event-bus';
import type { StoredEvent } from '../../task-messages/stored-event';
import { endsInteraction } from '../streaming/stream-event';

interface Waiter {
  release: () => void;
  pausedAlready: () => Promise<boolean>;
}

/**
 * Lets a blocking SendMessage wait until its task ends or asks for input. It listens on the
 * bus, not on this instance's own events, because the worker's update may be stored by another
 * instance; one bus subscription serves every waiting request.
 */
@Injectable()
export class TaskPauseWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private unsubscribe?: () => void;
  private unsubscribeMissed?: () => void;

  constructor(private readonly bus: TaskEventBus) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((events) => this.receive(events));
    this.unsubscribeMissed = this.bus.onMissed(() => this.recheck());
  }

  /** Shutdown: waiting requests answer with the task as it is. */
  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribeMissed?.();
    for (const set of this.waiting.values()) for (const waiter of set) waiter.release();
  }

  /**
   * Resolves once the task pauses, or after `timeoutMs`. `pausedAlready` is asked after the
   * waiter is in place, so a pause stored just before the call is not missed either.
   */
  async waitForPause(
    taskId: string,
    timeoutMs: number,
    pausedAlready: () => Promise<boolean>,
  ): Promise<void> {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let set = this.waiting.get(taskId);
    if (!set) {
      set = new Set();
      this.waiting.set(taskId, set);
    }
    const waiter = { release, pausedAlready };
    set.add(waiter);
    const timer = setTimeout(release, timeoutMs);
    try {
      if (await pausedAlready()) return;
      await paused;
    } finally {
      clearTimeout(timer);
      set.delete(waiter);
      if (set.size === 0) this.waiting.delete(taskId);
    }
  }

  private receive(events: readonly StoredEvent[]): void {
    for (const event of events) {
      const set = this.waiting.get(event.taskId);
      if (set && endsInteraction(event)) for (const waiter of set) waiter.release();
    }
  }

  /** The bus may have lost the pause: each waiter asks the store again. */
  private recheck(): void {
    for (const set of this.waiting.values()) {
      for (const waiter of set) {
        waiter.pausedAlready().then(
          (paused) => paused && waiter.release(),
          () => undefined,
        );
      }
    }
  }
}

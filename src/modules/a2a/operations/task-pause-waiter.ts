import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TaskEventBus } from '../../bus/task-event-bus';
import type { StoredEvent } from '../../task-messages/stored-event';
import { endsInteraction } from '../streaming/stream-event';

/**
 * Lets a blocking SendMessage wait until its task ends or asks for input. It listens on the
 * bus, not on this instance's own events, because the worker's update may be stored by another
 * instance; one bus subscription serves every waiting request.
 */
@Injectable()
export class TaskPauseWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Map<string, Set<() => void>>();
  private unsubscribe?: () => void;

  constructor(private readonly bus: TaskEventBus) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((events) => this.receive(events));
  }

  /** Shutdown: waiting requests answer with the task as it is. */
  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const set of this.waiting.values()) for (const release of set) release();
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
    set.add(release);
    const timer = setTimeout(release, timeoutMs);
    try {
      if (await pausedAlready()) return;
      await paused;
    } finally {
      clearTimeout(timer);
      set.delete(release);
      if (set.size === 0) this.waiting.delete(taskId);
    }
  }

  private receive(events: readonly StoredEvent[]): void {
    for (const event of events) {
      const set = this.waiting.get(event.taskId);
      if (set && endsInteraction(event)) for (const release of set) release();
    }
  }
}

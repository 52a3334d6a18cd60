import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../task-messages/stored-event';
import { LocalListeners } from './local-listeners';
import { type MissedListener, TaskEventBus, type TaskEventsListener } from './task-event-bus';

/** One process, no broker: the default, and the reference the Redis and NATS buses must match. */
@Injectable()
export class InMemoryTaskEventBus extends TaskEventBus {
  private readonly local = new LocalListeners();

  publish(events: readonly StoredEvent[]): Promise<void> {
    this.local.deliver(events);
    return Promise.resolve();
  }

  subscribe(listener: TaskEventsListener): () => void {
    return this.local.add(listener);
  }

  /** Nothing is ever missed in one process. */
  onMissed(listener: MissedListener): () => void {
    return this.local.addMissed(listener);
  }

  get listenerCount(): number {
    return this.local.size;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}

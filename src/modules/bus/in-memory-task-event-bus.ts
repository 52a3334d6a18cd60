import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../task-messages/stored-event';
import { TaskEventBus, type TaskEventsListener } from './task-event-bus';

/** One process, no broker: the default, and the reference the Redis and NATS buses must match. */
@Injectable()
export class InMemoryTaskEventBus extends TaskEventBus {
  private readonly listeners = new Set<TaskEventsListener>();

  publish(events: readonly StoredEvent[]): Promise<void> {
    for (const listener of this.listeners) listener(events);
    return Promise.resolve();
  }

  subscribe(listener: TaskEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}

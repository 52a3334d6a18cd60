import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../task-messages/stored-event';
import { TaskEventBus } from './task-event-bus';

/** One process, no broker: the default, and the reference the Redis and NATS buses must match. */
@Injectable()
export class InMemoryTaskEventBus extends TaskEventBus {
  publish(events: readonly StoredEvent[]): Promise<void> {
    this.local.deliver(events);
    return Promise.resolve();
  }

  get listenerCount(): number {
    return this.local.size;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}

import type { StoredEvent } from '../task-messages/stored-event';
import type { TaskEventsListener } from './task-event-bus';

/** This instance's bus listeners; every bus adapter delivers to them the same way. */
export class LocalListeners {
  private readonly listeners = new Set<TaskEventsListener>();

  add(listener: TaskEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deliver(events: readonly StoredEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }

  get size(): number {
    return this.listeners.size;
  }
}

import type { StoredEvent } from '../task-messages/stored-event';
import type { ForeignMessage } from './bus-message';
import type { MissedListener, TaskEventsListener } from './task-event-bus';

/** This instance's bus listeners; every bus adapter delivers to them the same way. */
export class LocalListeners {
  private readonly listeners = new Set<TaskEventsListener>();
  private readonly missedListeners = new Set<MissedListener>();

  add(listener: TaskEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deliver(events: readonly StoredEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }

  /** What another instance published: its events, then, if it asks, a look in the store. */
  receive(message: ForeignMessage | null): void {
    if (!message) return;
    if (message.events.length > 0) this.deliver(message.events);
    if (message.missed) this.missed();
  }

  addMissed(listener: MissedListener): () => void {
    this.missedListeners.add(listener);
    return () => this.missedListeners.delete(listener);
  }

  /** The broker connection is back: what was published meanwhile may be lost. */
  missed(): void {
    for (const listener of this.missedListeners) listener();
  }

  get size(): number {
    return this.listeners.size;
  }
}

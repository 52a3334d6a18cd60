import type { StoredEvent } from '../task-messages/stored-event';
import { LocalListeners } from './local-listeners';

export type TaskEventsListener = (events: readonly StoredEvent[]) => void;
export type MissedListener = () => void;

/**
 * Fan-out of stored events to every gateway instance. Publishing happens after the events are
 * committed, so a subscriber never sees an event a reconnect could not find again. Delivery may
 * reorder or drop across instances: subscribers fill gaps from the store (ids are contiguous).
 */
export abstract class TaskEventBus {
  /** This instance's listeners: every adapter delivers to them, and tells them what was missed. */
  protected readonly local = new LocalListeners();

  abstract publish(events: readonly StoredEvent[]): Promise<void>;

  /** Returns the function that unsubscribes. */
  subscribe(listener: TaskEventsListener): () => void {
    return this.local.add(listener);
  }

  /**
   * Called when other instances' events may have been missed: the connection to the broker was
   * down and is back (and subscribed again). A listener that waits for events should look in the
   * store: a stream whose task's last event was lost would otherwise wait for the next one, and
   * there may be none. Returns the function that unsubscribes.
   */
  onMissed(listener: MissedListener): () => void {
    return this.local.addMissed(listener);
  }

  abstract ping(): Promise<void>;
}

import type { StoredEvent } from '../task-messages/stored-event';

export type TaskEventsListener = (events: readonly StoredEvent[]) => void;

/**
 * Fan-out of stored events to every gateway instance. Publishing happens after the events are
 * committed, so a subscriber never sees an event a reconnect could not find again. Delivery may
 * reorder or drop across instances: subscribers fill gaps from the store (ids are contiguous).
 */
export abstract class TaskEventBus {
  abstract publish(events: readonly StoredEvent[]): Promise<void>;
  /** Returns the function that unsubscribes. */
  abstract subscribe(listener: TaskEventsListener): () => void;
  abstract ping(): Promise<void>;
}

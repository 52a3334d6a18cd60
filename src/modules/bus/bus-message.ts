import { randomUUID } from 'node:crypto';
import type { StreamEventName } from '../../../libs/contracts/src';
import type { StoredEvent } from '../task-messages/stored-event';

/** The channel (Redis) or subject (NATS) every gateway instance publishes stored events on. */
export const BUS_TOPIC = 'a2a-gateway.task-events';

type WireEvent = [
  taskId: string,
  id: number,
  event: StreamEventName,
  data: string,
  terminal: 0 | 1,
];

interface BusMessage {
  /** The publishing instance: it delivers its own events locally and skips them on the bus. */
  from: string;
  events: WireEvent[];
  /** The sender's connection was down and is back: what it published meanwhile may be lost. */
  missed?: true;
}

/** What another instance said: its events, and whether listeners should look in the store. */
export interface ForeignMessage {
  events: StoredEvent[];
  missed: boolean;
}

/** A bus connection's own id: it skips its own messages (not per process: tests run two apps in one). */
export function newBusId(): string {
  return randomUUID();
}

export function encodeEvents(from: string, events: readonly StoredEvent[]): string {
  const message: BusMessage = {
    from,
    events: events.map((e) => [e.taskId, e.id, e.event, e.data, e.terminal ? 1 : 0]),
  };
  return JSON.stringify(message);
}

/** Tells the other instances to look in the store: this one may have failed to publish. */
export function encodeMissed(from: string): string {
  const message: BusMessage = { from, events: [], missed: true };
  return JSON.stringify(message);
}

/** A message from another bus; null for `self`'s own or a malformed one. */
export function decodeForeignMessage(self: string, text: string): ForeignMessage | null {
  let message: BusMessage;
  try {
    message = JSON.parse(text) as BusMessage;
  } catch {
    return null;
  }
  if (message.from === self || !Array.isArray(message.events)) return null;
  return {
    events: message.events.map(([taskId, id, event, data, terminal]) => ({
      taskId,
      id,
      event,
      data,
      terminal: terminal === 1,
    })),
    missed: message.missed === true,
  };
}

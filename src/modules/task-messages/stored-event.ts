import type { StreamEventName } from '../../../libs/contracts/src';

/** One event of a task's log as streamed: `data` is the StreamResponse JSON text, stored as is. */
export interface StoredEvent {
  taskId: string;
  id: number;
  event: StreamEventName;
  data: string;
  /** This event put the task in a terminal state: streams end after it. */
  terminal: boolean;
  /** When this instance committed it (ms since epoch), for the ingest-to-delivery histogram. */
  storedAt?: number;
}

const frames = new WeakMap<StoredEvent, string>();

/** The SSE frame of an event, built once however many subscribers receive it. */
export function sseFrame(event: StoredEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `id: ${event.id}\nevent: ${event.event}\ndata: ${event.data}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

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
  /** Its SSE frame once built (sseFrame); never sent over the bus. */
  frame?: string;
}

/**
 * The SSE frame of an event, built once however many subscribers receive it. Kept on the event
 * rather than in a WeakMap: a WeakMap entry per event was measurable garbage-collector work.
 */
export function sseFrame(event: StoredEvent): string {
  return (event.frame ??= `id: ${event.id}\nevent: ${event.event}\ndata: ${event.data}\n\n`);
}

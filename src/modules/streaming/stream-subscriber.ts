import type { ServerResponse } from 'node:http';
import { sseFrame, type StoredEvent } from '../task-messages/stored-event';

export interface SubscriberOptions {
  taskId: string;
  /** The last event id the client has: only later ones are sent. */
  lastId: number;
  response: ServerResponse;
  /** A client this far behind in reading is cut off; it resumes from the store on reconnect. */
  maxBufferedBytes: number;
  onDelivered: (event: StoredEvent) => void;
  /** How an event is written; the gateway's own SSE frame unless a protocol binding needs another. */
  frame?: (event: StoredEvent) => string;
  /** Whether the stream ends after this event; by default after the one that ends the task. */
  isLast?: (event: StoredEvent) => boolean;
}

/**
 * One open SSE response. Sends each event at most once and in id order: events at or below
 * `lastId` are dropped; while it catches up (history, or a gap) live events wait in `buffer`.
 */
export class StreamSubscriber {
  readonly taskId: string;
  readonly openedAt = Date.now();
  /** When anything was last written (events or keep-alives): quiet streams get keep-alives. */
  lastWriteAt = this.openedAt;
  lastId: number;
  /** Non-null while catching up from the store: live events are parked here meanwhile. */
  buffer: StoredEvent[] | null = [];
  closed = false;
  /**
   * While corked, the text written since: it leaves in one `response.write` at `uncork`. One
   * write per batch rather than one per event under the response's own cork, because each
   * `write` of a chunked response measures its text, frames it and queues it (bench e: ten events
   * per stream per commit).
   */
  private held: string | null = null;
  private readonly response: ServerResponse;
  private readonly closeListeners: (() => void)[] = [];

  constructor(private readonly options: SubscriberOptions) {
    this.taskId = options.taskId;
    this.lastId = options.lastId;
    this.response = options.response;
    this.response.once('close', () => this.close());
  }

  /** Writes the next event; ends the stream after a terminal one. */
  deliver(event: StoredEvent): void {
    if (this.closed || event.id <= this.lastId) return;
    this.lastId = event.id;
    this.write((this.options.frame ?? sseFrame)(event));
    this.options.onDelivered(event);
    if (this.options.isLast ? this.options.isLast(event) : event.terminal) this.end();
  }

  write(text: string): void {
    if (this.closed) return;
    this.lastWriteAt = Date.now();
    if (this.held === null) this.send(text);
    else this.held += text;
  }

  /** Holds writes back until `uncork`, so that several events leave in one socket write. */
  cork(): boolean {
    if (this.held !== null || this.closed) return false;
    this.held = '';
    return true;
  }

  uncork(): void {
    const text = this.held;
    if (text === null) return;
    this.held = null;
    if (text !== '' && !this.closed && !this.response.writableEnded) this.send(text);
  }

  end(): void {
    this.uncork();
    if (!this.closed) this.response.end();
    this.close();
  }

  private send(text: string): void {
    // Corked around the write so that it reaches the socket here: otherwise a response defers it
    // to process.nextTick, behind the acknowledgements that the same commit resolves.
    this.response.cork();
    this.response.write(text);
    this.response.uncork();
    if (this.response.writableLength > this.options.maxBufferedBytes) this.end();
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer = null;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

// A raw-socket SSE subscriber: a hand-written HTTP/1.1 GET and incremental parsers, so that ten
// thousand of them fit in one process (no http.ClientRequest / IncomingMessage / EventSource each).
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ChunkedBodyDecoder } from './chunked-body-decoder';
import { SseEventParser } from './sse-event-parser';

export interface SubscriberEvents {
  /** `receivedAt` is performance.now() when the packet holding the event's end arrived. */
  onEvent(index: number, id: number, event: string, data: string, receivedAt: number): void;
  onClose(index: number): void;
}

const HEADER_END = '\r\n\r\n';
/** How much of a refused response is kept to report what the server said. */
const REJECTION_SAMPLE_CHARS = 400;

export class SseSubscriber {
  /** HTTP status of the response; 0 until its headers have arrived. */
  status = 0;
  /** Start of a non-200 response, or the socket error, for the report. */
  failure = '';
  closed = false;
  private head = '';
  private chunked: ChunkedBodyDecoder | null = null;
  private receivedAt = 0;
  private readonly parser: SseEventParser;
  private readonly socket: Socket;
  private readonly feedBody = (text: string): void => this.parser.feed(text);

  constructor(
    readonly index: number,
    port: number,
    path: string,
    bearer: string,
    events: SubscriberEvents,
    onHeaders: (subscriber: SseSubscriber) => void,
  ) {
    this.parser = new SseEventParser((id, event, data) =>
      events.onEvent(index, id, event, data, this.receivedAt),
    );
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.setEncoding('latin1');
    this.socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n` +
        `Cache-Control: no-cache\r\nAuthorization: Bearer ${bearer}\r\n\r\n`,
    );
    this.socket.on('data', (text: string) => {
      this.receivedAt = performance.now();
      if (this.status === 0) this.readHead(text, onHeaders);
      else this.readBody(text);
    });
    this.socket.on('error', (error) => {
      if (this.failure === '') this.failure = error.message;
    });
    this.socket.on('close', () => {
      this.closed = true;
      if (this.status === 0) onHeaders(this);
      events.onClose(index);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private readHead(text: string, onHeaders: (subscriber: SseSubscriber) => void): void {
    this.head += text;
    const end = this.head.indexOf(HEADER_END);
    if (end === -1) return;
    const headers = this.head.slice(0, end);
    const rest = this.head.slice(end + HEADER_END.length);
    this.head = '';
    this.status = Number(headers.slice(9, 12)) || -1; // "HTTP/1.1 200 OK"
    if (this.status !== 200) {
      this.failure = `${headers.split('\r\n', 1)[0]} ${rest.slice(0, REJECTION_SAMPLE_CHARS)}`;
      onHeaders(this);
      this.socket.destroy();
      return;
    }
    if (/^transfer-encoding:\s*chunked/im.test(headers)) this.chunked = new ChunkedBodyDecoder();
    onHeaders(this);
    if (rest.length > 0) this.readBody(rest);
  }

  private readBody(text: string): void {
    if (this.chunked === null) return this.parser.feed(text);
    this.chunked.feed(text, this.feedBody);
    // The server ended the response (a terminal task, or a server-side close): the stream is over.
    if (this.chunked.ended) this.socket.destroy();
  }
}

// Signed webhook requests over a pool of raw keep-alive HTTP/1.1 connections (node:net), one
// request at a time per connection, so the pool size bounds the requests in flight. Hand-written
// because node:http's client cost ~4x more CPU per request than this and made the load generator,
// not the server, the bottleneck of the saturation scenarios (see bench/README.md).
import { createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { ChunkedBodyDecoder } from './chunked-body-decoder';

/** `status` is 0 on a transport error; `errorBody` holds the start of any non-2xx answer. */
export type PublishDone = (status: number, errorBody: string) => void;

const REQUEST_TIMEOUT_MS = 30_000;
const ERROR_SAMPLE_CHARS = 300;
const HEADER_END = '\r\n\r\n';

class Connection {
  idle = false;
  private done: PublishDone | null = null;
  private head = '';
  private status = 0;
  private remaining = 0;
  private chunked: ChunkedBodyDecoder | null = null;
  private closeAfter = false;
  private errorBody = '';
  private readonly socket: Socket;
  private readonly keepErrorBody = (text: string): void => {
    if (this.errorBody.length < ERROR_SAMPLE_CHARS) this.errorBody += text;
  };

  constructor(
    port: number,
    private readonly release: (connection: Connection) => void,
    private readonly drop: (connection: Connection) => void,
  ) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.setEncoding('latin1');
    this.socket.setTimeout(REQUEST_TIMEOUT_MS, () =>
      this.socket.destroy(new Error('webhook request timed out')),
    );
    this.socket.on('data', (text: string) => this.read(text));
    this.socket.on('error', (error) => this.fail(error.message));
    this.socket.on('close', () => this.fail('connection closed by server'));
  }

  send(request: string, done: PublishDone): void {
    this.idle = false;
    this.done = done;
    this.socket.write(request);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(text: string): void {
    if (this.status === 0) {
      this.head += text;
      const end = this.head.indexOf(HEADER_END);
      if (end === -1) return;
      const headers = this.head.slice(0, end);
      text = this.head.slice(end + HEADER_END.length);
      this.head = '';
      this.status = Number(headers.slice(9, 12)) || -1; // "HTTP/1.1 200 OK"
      this.closeAfter = /^connection:\s*close/im.test(headers);
      const length = /^content-length:\s*(\d+)/im.exec(headers);
      if (/^transfer-encoding:\s*chunked/im.test(headers)) this.chunked = new ChunkedBodyDecoder();
      else this.remaining = length === null ? 0 : Number(length[1]);
    }
    const failed = this.status < 200 || this.status >= 300;
    if (this.chunked !== null) {
      this.chunked.feed(text, failed ? this.keepErrorBody : ignore);
      if (!this.chunked.ended) return;
    } else {
      if (failed) this.keepErrorBody(text);
      this.remaining -= text.length;
      if (this.remaining > 0) return;
    }
    this.complete();
  }

  private complete(): void {
    const done = this.done;
    const status = this.status;
    const errorBody = this.errorBody.slice(0, ERROR_SAMPLE_CHARS);
    this.done = null;
    this.status = 0;
    this.chunked = null;
    this.errorBody = '';
    if (this.closeAfter) this.destroy();
    else {
      this.idle = true;
      this.release(this);
    }
    done?.(status, errorBody);
  }

  private fail(message: string): void {
    this.drop(this);
    const done = this.done;
    this.done = null;
    this.idle = false;
    done?.(0, message);
  }
}

function ignore(): void {}

export class WebhookPublisher {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();

  constructor(
    private readonly port: number,
    private readonly secret: string,
  ) {}

  /** Posts `body` on an idle connection, or a new one: the caller bounds how many are in flight. */
  post(path: string, body: string, done: PublishDone): void {
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', this.secret)
      .update(`${timestamp}.${body}`)
      .digest('hex');
    const request =
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Webhook-Timestamp: ${timestamp}\r\n` +
      `X-Webhook-Signature: sha256=${signature}\r\n\r\n${body}`;
    this.connection().send(request, done);
  }

  close(): void {
    for (const connection of this.all) connection.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private connection(): Connection {
    const reused = this.idle.pop();
    if (reused !== undefined) return reused;
    const created = new Connection(
      this.port,
      (connection) => this.idle.push(connection),
      (connection) => {
        this.all.delete(connection);
        const at = this.idle.indexOf(connection);
        if (at !== -1) this.idle.splice(at, 1);
      },
    );
    this.all.add(created);
    return created;
  }
}

// Incremental text/event-stream parser: `id:`, `event:` and `data:` fields, comments ignored,
// LF or CRLF line ends. One instance per connection, holding only the partial line and the
// fields of the event being read.
export type SseEventHandler = (id: number, event: string, data: string) => void;

const COLON = 58;
const SPACE = 32;
const CR = 13;

export class SseEventParser {
  private pending = '';
  private id = NaN;
  private event = '';
  private data = '';
  private hasData = false;

  constructor(private readonly onEvent: SseEventHandler) {}

  feed(text: string): void {
    const input = this.pending.length === 0 ? text : this.pending + text;
    let start = 0;
    for (;;) {
      const newline = input.indexOf('\n', start);
      if (newline === -1) break;
      const end = newline > start && input.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      this.line(input, start, end);
      start = newline + 1;
    }
    this.pending = start === input.length ? '' : input.slice(start);
  }

  private line(input: string, start: number, end: number): void {
    if (start === end) return this.dispatch();
    if (input.charCodeAt(start) === COLON) return; // comment, e.g. ": keep-alive"
    const colon = input.indexOf(':', start);
    let field: string;
    let value: string;
    if (colon === -1 || colon > end) {
      field = input.slice(start, end);
      value = '';
    } else {
      field = input.slice(start, colon);
      const valueStart = input.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
      value = input.slice(valueStart, end);
    }
    if (field === 'data') {
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (field === 'event') {
      this.event = value;
    } else if (field === 'id') {
      this.id = Number(value);
    }
  }

  private dispatch(): void {
    // As in EventSource, a block without data (e.g. only `retry:`) is not an event.
    if (this.hasData) this.onEvent(this.id, this.event === '' ? 'message' : this.event, this.data);
    this.id = NaN;
    this.event = '';
    this.data = '';
    this.hasData = false;
  }
}

// Incremental HTTP/1.1 chunked transfer decoder. Streams arrive as `latin1` strings so that one
// character is one byte and the hex chunk sizes can be applied to string lengths directly.
const SIZE_LINE = 0;
const DATA = 1;
const DATA_END = 2;
const DONE = 3;

export class ChunkedBodyDecoder {
  private state = SIZE_LINE;
  private remaining = 0;
  private pending = '';

  /** True once the terminating zero-size chunk has been read: the server ended the response. */
  get ended(): boolean {
    return this.state === DONE;
  }

  feed(text: string, onBody: (body: string) => void): void {
    const input = this.pending.length === 0 ? text : this.pending + text;
    this.pending = '';
    let pos = 0;
    while (pos < input.length) {
      if (this.state === DATA) {
        const take = Math.min(this.remaining, input.length - pos);
        onBody(take === input.length ? input : input.slice(pos, pos + take));
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = DATA_END;
      } else if (this.state === DATA_END) {
        // The CRLF after a chunk's data; a lone '\r' at the end of a packet is simply skipped.
        const newline = input.indexOf('\n', pos);
        if (newline === -1) return;
        pos = newline + 1;
        this.state = SIZE_LINE;
      } else if (this.state === SIZE_LINE) {
        const newline = input.indexOf('\n', pos);
        if (newline === -1) {
          this.pending = input.slice(pos);
          return;
        }
        // parseInt stops at a chunk extension (';') or the '\r'.
        const size = parseInt(input.slice(pos, newline), 16);
        pos = newline + 1;
        if (!(size > 0)) {
          this.state = DONE;
          return;
        }
        this.remaining = size;
        this.state = DATA;
      } else {
        return;
      }
    }
  }
}

import { connect } from 'node:net';

/**
 * The body chunks of a chunked HTTP/1.1 response as they were framed on the wire, one per write
 * the server made (complete chunks only): what tells one socket write from several.
 */
export function bodyChunks(raw: string): string[] {
  const chunks: string[] = [];
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return chunks;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0) || rest.length < lineEnd + 2 + size + 2) return chunks;
    chunks.push(rest.slice(lineEnd + 2, lineEnd + 2 + size));
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** GETs `url` over a raw socket and resolves with the response's bytes once the server ends it. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<string> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let raw = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      raw += text;
      if (raw.endsWith('\r\n0\r\n\r\n')) {
        socket.destroy();
        resolve(raw);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(raw));
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`GET ${pathname}${search} HTTP/1.1\r\nhost: ${hostname}\r\n${lines.join('')}\r\n`);
  });
}

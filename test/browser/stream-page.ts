import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the page records, read by the test through `page.evaluate`. */
export interface PageState {
  /** Times the EventSource opened: 1 + the number of reconnects. */
  opens: number;
  /** Artifact updates as received: the event id, its text and the connection it came on. */
  chunks: { id: number; text: string; connection: number }[];
  done: boolean;
  /** EventSource.readyState at the last check: 2 (CLOSED) once it has stopped for good. */
  readyState: number;
}

/**
 * A minimal watcher page, the way a product would write one: a plain EventSource on the stream
 * URL (token in the query string, as browsers cannot set headers), the text appended to a
 * `<pre>` as it arrives. Reconnecting is left entirely to the browser.
 */
const PAGE = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>a2a-gateway stream</title>
<style>
  body { font: 15px system-ui, sans-serif; margin: 24px; }
  pre { white-space: pre-wrap; border: 1px solid #ccc; padding: 12px; min-height: 3em; }
  #status.done { color: #080; font-weight: bold; }
</style></head>
<body>
<h1>Echo agent</h1>
<p>Status: <span id="status">connecting</span> · chunks: <span id="count">0</span> · connections: <span id="opens">0</span></p>
<pre id="text"></pre>
<script>
  const state = { opens: 0, chunks: [], done: false, readyState: 0 };
  window.streamState = state;
  const show = (id, value) => { document.getElementById(id).textContent = String(value); };
  const source = new EventSource(new URLSearchParams(location.search).get('stream'));
  setInterval(() => { state.readyState = source.readyState; }, 20);
  source.onopen = () => { state.opens += 1; show('opens', state.opens); if (!state.done) show('status', 'streaming'); };
  source.onerror = () => { if (!state.done) show('status', 'reconnecting'); };
  source.addEventListener('artifact-update', (event) => {
    const update = JSON.parse(event.data).artifactUpdate;
    const text = update.artifact.parts.map((part) => part.text || '').join('');
    state.chunks.push({ id: Number(event.lastEventId), text, connection: state.opens });
    document.getElementById('text').append(text);
    show('count', state.chunks.length);
  });
  source.addEventListener('status-update', (event) => {
    if (JSON.parse(event.data).statusUpdate.status.state !== 'TASK_STATE_COMPLETED') return;
    state.done = true;
    show('status', 'done');
    document.getElementById('status').className = 'done';
  });
</script>
</body>
</html>
`;

/** Serves the page from its own origin (another port), so the stream is a CORS request. */
export async function servePage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

// What one idle connection costs a bare Node server, on whichever node binary runs the server:
// resident memory per connection, split into the C++ heap (malloc's `[heap]`) and anonymous
// mappings (V8's pages, mostly), read from the server's /proc/self/smaps after a full collection,
// before and after this process opens the connections. Three servers: `net` (accept, read one
// request, answer it), `http` (a keep-alive request answered) and `sse` (a request answered with an
// open event stream, as the gateway's streams are). Then the C++ heap per `new HTTPParser()`, the
// object Node's http server keeps for each connection. In bench g Node 24's idle stream costs about
// twice Node 20's (sessions 17 and 24, docs/benchmarks-history.md); this splits the difference
// without the gateway.
// The figures count pages that become resident, so memory the server freed earlier and reuses is
// not counted: with a few thousand connections they read low (3,000 read 0 KB of C++ heap per
// parser), hence 10,000 and 20,000 parsers.
//   npx tsx bench/connection-memory.ts [--node /path/to/node] [--connections 10000]
import { execFileSync, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { flagValue } from './lib/cli-options';

const NODE = flagValue(process.argv, '--node') ?? process.execPath;
const CONNECTIONS = Number(flagValue(process.argv, '--connections') ?? 10_000);
const MODES = ['net', 'http', 'sse'] as const;
type Mode = (typeof MODES)[number];

interface Memory {
  rssKb: number;
  mallocKb: number;
  anonymousKb: number;
}

/**
 * The server, run by the node under test (`-e`, so it needs nothing of this checkout). It answers
 * 'memory' over IPC with its smaps totals after a full collection, and 'parsers' with the C++ heap
 * that 20,000 HTTPParser objects took.
 */
const SERVER = String.raw`
const fs = require('node:fs');
const { HTTPParser } = require('_http_common');
function memory() {
  globalThis.gc();
  let mallocKb = 0, anonymousKb = 0, name = '';
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) { name = mapping[1].trim(); continue; }
    if (!line.startsWith('Rss:')) continue;
    const kb = Number(line.split(/\s+/)[1]);
    if (name === '[heap]') mallocKb += kb; else if (name === '') anonymousKb += kb;
  }
  return { rssKb: process.memoryUsage().rss / 1024, mallocKb, anonymousKb };
}
const open = [];
const mode = process.argv[1];
const server = mode === 'net'
  ? require('node:net').createServer((socket) => {
      open.push(socket);
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
    })
  : require('node:http').createServer((req, res) => {
      if (mode === 'http') return res.end('ok');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('retry: 1000\n\n');
      open.push(res);
    });
process.on('message', (m) => {
  if (m === 'memory') return process.send(memory());
  if (m !== 'parsers') return;
  const before = memory().mallocKb;
  const parsers = [];
  for (let i = 0; i < 20000; i++) parsers.push(new HTTPParser());
  process.send({ perParserKb: (memory().mallocKb - before) / parsers.length });
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

function ask<T>(child: ReturnType<typeof spawn>, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(message);
  });
}

/** One request per connection, each answered before the next connection opens. */
async function openConnections(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          `GET /tasks/${i}/stream HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`,
        ),
      );
      socket.once('data', () => resolve());
      socket.once('error', reject);
      sockets.push(socket);
    });
  }
  return sockets;
}

async function measure(mode: Mode): Promise<string> {
  const child = spawn(NODE, ['--expose-gc', '-e', SERVER, mode], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve) => child.once('message', resolve));
    const before = await ask<Memory>(child, 'memory');
    const sockets = await openConnections(port, CONNECTIONS);
    const after = await ask<Memory>(child, 'memory');
    const per = (key: keyof Memory) => ((after[key] - before[key]) / CONNECTIONS).toFixed(2);
    let line =
      `${mode.padEnd(5)} per connection: RSS ${per('rssKb')} KB, ` +
      `C++ heap ${per('mallocKb')}, anonymous mappings ${per('anonymousKb')}`;
    if (mode === 'http') {
      const { perParserKb } = await ask<{ perParserKb: number }>(child, 'parsers');
      line += `\n      new HTTPParser(): ${perParserKb.toFixed(2)} KB of C++ heap each`;
    }
    for (const socket of sockets) socket.destroy();
    return line;
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  const version = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
  process.stdout.write(`${NODE} (${version}), ${CONNECTIONS} connections\n`);
  for (const mode of MODES) process.stdout.write(`${await measure(mode)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

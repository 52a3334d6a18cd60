// Child processes under test: spawned, watched until ready, and always killed, including on
// SIGINT or a crash of the harness (see killAllServersNow).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** The last lines the process printed, for error reports. */
  outputTail(): string;
  /** A full garbage collection in the server (see server-gc.ts); resolves once it has run. */
  collectGarbage(): Promise<void>;
  /** A line of the harness's own among the server's output, where one is kept (--server-output). */
  mark(text: string): void;
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4000;
const STOP_GRACE_MS = 3000;
const running = new Set<ChildProcess>();

export function killAllServersNow(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface Spawned {
  child: ChildProcess;
  outputTail(): string;
  mark(text: string): void;
  exited: Promise<number | null>;
}

export function spawnServer(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  outputFile: string | null = null,
): Spawned {
  // 'ipc': the channel over which the harness asks for a garbage collection (server-gc.ts).
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  running.add(child);
  const spawnedAt = performance.now();
  // A stream, not appendFileSync: a synchronous write would stall the load generator's loop.
  const output: WriteStream | null = outputFile
    ? createWriteStream(outputFile, { flags: 'a' })
    : null;
  const write = (text: string | Buffer): void => {
    if (output !== null && !output.writableEnded) output.write(text);
  };
  const mark = (text: string): void => {
    const seconds = ((performance.now() - spawnedAt) / 1000).toFixed(3);
    write(`=== ${text} (${seconds} s after pid ${child.pid ?? '?'} started) ===\n`);
  };
  mark(`${command} ${args.join(' ')}`);
  let tail = '';
  const keep = (part: Buffer): void => {
    tail = (tail + part.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    write(part);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // 'close', not 'exit': it comes once the pipes have been read to the end, so the file is whole.
  const exited = new Promise<number | null>((resolve) => {
    const done = (code: number | null): void => {
      running.delete(child);
      if (output === null) resolve(code);
      else output.end(() => resolve(code));
    };
    child.on('close', (code) => done(code));
    child.on('error', (error) => {
      keep(Buffer.from(`spawn error: ${error.message}\n`));
      done(null);
    });
  });
  return { child, outputTail: () => tail, mark, exited };
}

export interface StopOptions {
  /** Asks the process to stop (default SIGTERM); SIGKILL follows after graceMs. */
  signal: NodeJS.Signals;
  graceMs: number;
}

export async function stopServer(
  spawned: Spawned,
  { signal, graceMs }: StopOptions = { signal: 'SIGTERM', graceMs: STOP_GRACE_MS },
): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return;
  spawned.child.kill(signal);
  const graceful = await Promise.race([
    spawned.exited.then(() => true),
    delay(graceMs).then(() => false),
  ]);
  if (!graceful) {
    spawned.child.kill('SIGKILL');
    await spawned.exited;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port that was free a moment ago (for servers that cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = address !== null && typeof address !== 'string' ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// Child processes under test: spawned, watched until ready, and always killed, including on
// SIGINT or a crash of the harness (see killAllServersNow).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** The last lines the process printed, for error reports. */
  outputTail(): string;
  /** A full garbage collection in the server (see server-gc.ts); resolves once it has run. */
  collectGarbage(): Promise<void>;
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
  exited: Promise<number | null>;
}

export function spawnServer(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Spawned {
  // 'ipc': the channel over which the harness asks for a garbage collection (server-gc.ts).
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  running.add(child);
  let tail = '';
  const keep = (part: Buffer): void => {
    tail = (tail + part.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.on('error', (error) => {
      keep(Buffer.from(`spawn error: ${error.message}\n`));
      running.delete(child);
      resolve(null);
    });
  });
  return { child, outputTail: () => tail, exited };
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

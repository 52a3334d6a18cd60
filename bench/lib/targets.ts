// How each server under test is started and when it counts as ready: the baseline relay prints
// its port; the gateway gets a port from us and is ready when /health/ready answers 200.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDispatchSink, type DispatchSink } from './dispatch-sink';
import { httpRequest } from './http-json';
import { BENCH_DATABASE_URL, recreateBenchDatabase } from './postgres-db';
import { collectServerGarbage, serverGcFlags } from './server-gc';
import {
  delay,
  freePort,
  spawnServer,
  stopServer,
  type ServerProcess,
  type Spawned,
  type StopOptions,
} from './server-process';
import { AGENT, ORG } from './task-setup';

export type TargetName = 'baseline' | 'gateway';
export type Storage = 'none' | 'pglite' | 'postgres';

export interface TargetSpec {
  target: TargetName;
  storage: Storage;
}

export const JWT_SECRET = 'bench-jwt-secret';
export const WEBHOOK_SECRET = 'bench-webhook-secret';

export const REPO_ROOT = join(__dirname, '..', '..');
const RELAY_SCRIPT = join(REPO_ROOT, 'bench', 'baseline', 'relay.ts');
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 200;

/** The built entry point of the gateway in `checkout` (this repository, or another build of it). */
function gatewayMain(checkout: string): string {
  return join(checkout, 'dist', 'src', 'main.js');
}

export interface GatewayOptions {
  /** Gateway processes write a V8 CPU profile here when they stop; null: none. */
  cpuProfDir: string | null;
  /** Gateway processes' output is appended here too; null: only its tail is kept. */
  serverOutput: string | null;
  /** Node flags for the gateway; null: those of the checkout's start script for its storage. */
  nodeFlags: string[] | null;
  /** The checkout whose build runs (`bench/ab.ts` builds other commits elsewhere). */
  checkout: string;
  /** The node binary that runs the gateway. */
  node: string;
}

/** The worker stand-in and the AGENTS_FILE pointing at it, shared by every gateway run. */
export class GatewayFixtures {
  private sink: DispatchSink | null = null;
  private dir: string | null = null;

  readonly cpuProfDir: string | null;
  readonly serverOutput: string | null;
  readonly checkout: string;
  readonly node: string;
  /** Node flags for every gateway, in place of its start script's; null: the start script's. */
  readonly nodeFlags: string[] | null;

  constructor(options: Partial<GatewayOptions> = {}) {
    this.cpuProfDir = options.cpuProfDir ?? null;
    this.serverOutput = options.serverOutput ?? null;
    this.checkout = options.checkout ?? REPO_ROOT;
    this.node = options.node ?? process.execPath;
    this.nodeFlags = options.nodeFlags ?? null;
  }

  /** The node flags a gateway on `storage` runs with. */
  nodeFlagsFor(storage: Storage): string[] {
    return this.nodeFlags ?? startScriptNodeFlags(this.checkout, storage);
  }

  get main(): string {
    return gatewayMain(this.checkout);
  }

  async agentsFile(): Promise<string> {
    if (this.dir === null) {
      this.sink = await startDispatchSink();
      this.dir = mkdtempSync(join(tmpdir(), 'a2a-bench-'));
      const endpoint = `http://127.0.0.1:${this.sink.port}/tasks`;
      writeFileSync(
        join(this.dir, 'agents.json'),
        JSON.stringify({ agents: [{ org: ORG, name: AGENT, endpoint }] }),
      );
    }
    return join(this.dir, 'agents.json');
  }

  async dispose(): Promise<void> {
    await this.sink?.close();
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.sink = null;
    this.dir = null;
  }
}

export async function startTarget(
  spec: TargetSpec,
  fixtures: GatewayFixtures,
): Promise<ServerProcess> {
  return spec.target === 'baseline' ? startBaseline() : startGateway(spec.storage, fixtures);
}

async function startBaseline(): Promise<ServerProcess> {
  // `node --require tsx/cjs` rather than `npx tsx`: the pid we measure is the relay itself, and the
  // CJS-only hook adds ~10 MB RSS where `--import tsx` (a loader thread) adds ~40 MB.
  const spawned = spawnServer(
    process.execPath,
    ['--require', 'tsx/cjs', ...serverGcFlags(), RELAY_SCRIPT],
    { ...process.env, PORT: '0' },
    REPO_ROOT,
  );
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const match = /\{"port":(\d+)\}/.exec(spawned.outputTail());
    if (match !== null) return running(spawned, Number(match[1]));
    await failIfGone(spawned, deadline, 'baseline relay');
  }
}

async function startGateway(storage: Storage, fixtures: GatewayFixtures): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET,
    WEBHOOK_SECRET,
    AGENTS_FILE: await fixtures.agentsFile(),
  };
  if (storage === 'postgres') {
    recreateBenchDatabase();
    Object.assign(env, { STORAGE_DRIVER: 'postgres', DATABASE_URL: BENCH_DATABASE_URL });
  } else {
    Object.assign(env, { STORAGE_DRIVER: 'pglite', PGLITE_DATA_DIR: 'memory://' });
  }
  const profileDir = fixtures.cpuProfDir;
  const profiling = profileDir !== null;
  const nodeFlags = fixtures.nodeFlagsFor(storage);
  const args = [
    ...nodeFlags,
    ...(profiling ? profileArgs(profileDir) : []),
    ...serverGcFlags(),
    fixtures.main,
  ];
  const spawned = spawnServer(fixtures.node, args, env, fixtures.checkout, fixtures.serverOutput);
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await httpRequest(undefined, port, 'GET', '/health/ready', {}, null, 2000).catch(
      () => null,
    );
    if (ready?.status === 200) return running(spawned, port, profiling ? PROFILE_STOP : undefined);
    await failIfGone(spawned, deadline, 'gateway');
  }
}

/**
 * The flags package.json's start script for `storage` passes to node (`start:postgres` for
 * PostgreSQL, `start` for PGlite), so that the gateway is measured as it is meant to run: the
 * young generation's size, for one, changes its garbage collector's time.
 */
function startScriptNodeFlags(checkout: string, storage: Storage): string[] {
  const { scripts } = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as {
    scripts: Record<string, string | undefined>;
  };
  const script = (storage === 'postgres' ? scripts['start:postgres'] : undefined) ?? scripts.start;
  const start = /\bnode((?:\s+--\S+)*)\s+dist\/src\/main\.js/.exec(script ?? '');
  if (start === null) throw new Error("package.json's start script does not run dist/src/main.js");
  return start[1].split(/\s+/).filter(Boolean);
}

async function failIfGone(spawned: Spawned, deadline: number, name: string): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
    throw new Error(`${name} exited before it was ready:\n${spawned.outputTail()}`);
  }
  if (performance.now() > deadline) {
    await stopServer(spawned);
    throw new Error(`${name} not ready within ${READY_TIMEOUT_MS} ms:\n${spawned.outputTail()}`);
  }
  await delay(READY_POLL_MS);
}

/**
 * node writes a --cpu-prof profile only on a normal exit, and the gateway's shutdown hooks re-raise
 * SIGTERM (death by signal: no profile). A profiled gateway is stopped with SIGUSR2 instead, which
 * the preloaded one-liner turns into process.exit(0); writing the profile can take seconds.
 */
function profileArgs(dir: string): string[] {
  return [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    '--import',
    "data:text/javascript,process.on('SIGUSR2',()=>process.exit(0))",
  ];
}

const PROFILE_STOP: StopOptions = { signal: 'SIGUSR2', graceMs: 60_000 };

function running(spawned: Spawned, port: number, stop?: StopOptions): ServerProcess {
  const pid = spawned.child.pid;
  if (pid === undefined) throw new Error('server process has no pid');
  return {
    pid,
    port,
    outputTail: () => spawned.outputTail(),
    collectGarbage: () => collectServerGarbage(spawned.child),
    mark: (text) => spawned.mark(text),
    stop: () => stopServer(spawned, stop),
  };
}

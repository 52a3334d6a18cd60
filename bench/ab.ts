// Alternating runs of one scenario on two builds of the gateway. On a host whose speed drifts by a
// fifth within the hour (docs/benchmarks.md), a single run of each side cannot tell a change from
// the drift; pairs run in turn can, and the order inside each pair alternates (A B, then B A) so
// that a drift favours neither side.
//   npx tsx bench/ab.ts --a <git ref> [--b <git ref> | --b .] --storage postgres --scenario e
//                       [--pairs 5] [--a-flags "node flags"] [--b-flags "node flags"]
//                       [--a-node PATH] [--b-node PATH]
// A git ref is checked out in a temporary worktree that shares this checkout's node_modules and is
// built there; "." (B's default) is this checkout as it is, rebuilt here before the runs. Node flags
// default to each side's own start script for the storage (`start:postgres` or `start`); a side's
// node binary to the one running this script (`--a . --b . --b-node PATH` compares two Nodes). Each run
// is a bench/run.ts process; its results files are kept in bench/results as usual.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { splitArgument } from './lib/cli-options';
import { perChunk } from './lib/cpu-per-chunk';
import type { ScenarioResult } from './lib/result-types';
import { signTestChance } from './lib/sign-test';
import { REPO_ROOT } from './lib/targets';

interface Side {
  name: 'A' | 'B';
  ref: string;
  checkout: string;
  flags: string | undefined;
  node: string | undefined;
  runs: Run[];
}

interface Run {
  chunksPerSecond: number;
  p50: number;
  p99: number;
  serverCpu: number;
  /** The server's CPU per delivered chunk, µs (bench/lib/cpu-per-chunk.ts): tells a change in
   *  the CPU spent from a change in waiting. */
  serverUsPerChunk: number;
  /** PostgreSQL's processes, in % of a core (NaN on PGlite, whose thread is in serverCpu). */
  dbCpu: number;
  /** The server's GC pauses over the interval, in all (NaN where its /metrics gave none). */
  serverGcMs: number;
  /** How long the server's threads waited for a core, as a share of the interval: the host's
   *  share of a difference (NaN where the kernel keeps no schedstat). */
  serverWaitPercent: number;
  /** The machine's cores idle over the interval (100 = all of them throughout). */
  coresIdlePercent: number;
  /** How long the scenario's streams took to open, before the interval. */
  connectSeconds: number;
  /** Tasks created over REST per second in the setup. */
  tasksPerSecond: number;
}

const USAGE = `usage: npx tsx bench/ab.ts --a REF [--b REF|.] --storage pglite|postgres --scenario ID
                         [--pairs N] [--a-flags "FLAGS"] [--b-flags "FLAGS"]
                         [--a-node PATH] [--b-node PATH]`;

function main(): void {
  const args = flags(process.argv.slice(2));
  const storage = args.get('--storage');
  const scenario = args.get('--scenario');
  const a = args.get('--a');
  if (a === undefined || storage === undefined || scenario === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  // Each run's first result is the one compared: a list would silently compare its first member.
  if (/[, ]/.test(scenario) || !['pglite', 'postgres'].includes(storage)) {
    process.stderr.write(`one scenario and one storage per comparison\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const pairs = Number(args.get('--pairs') ?? 5);
  const worktrees: string[] = [];
  // Built once even when both sides are this checkout (`--a . --b .` with other flags or Nodes).
  let thisCheckout: string | undefined;
  const side = (name: 'A' | 'B', ref: string): Side => {
    const checkout =
      ref === '.'
        ? (thisCheckout ??= build(REPO_ROOT, 'this checkout'))
        : buildWorktree(ref, worktrees);
    const key = `--${name.toLowerCase()}`;
    return {
      name,
      ref,
      checkout,
      flags: args.get(`${key}-flags`),
      node: args.get(`${key}-node`),
      runs: [],
    };
  };
  try {
    const sides = [side('A', a), side('B', args.get('--b') ?? '.')];
    for (let pair = 0; pair < pairs; pair++) {
      for (const s of pair % 2 === 0 ? sides : [...sides].reverse()) {
        const run = runOnce(s, storage, scenario);
        s.runs.push(run);
        process.stdout.write(
          `pair ${pair + 1} ${s.name}: ${Math.round(run.chunksPerSecond)} chunks/s, ` +
            `p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, server CPU ${run.serverCpu.toFixed(0)} % ` +
            `(${run.serverUsPerChunk.toFixed(1)} µs per chunk), ` +
            (Number.isNaN(run.dbCpu) ? '' : `database CPU ${run.dbCpu.toFixed(0)} %, `) +
            `GC ${run.serverGcMs.toFixed(1)} ms, waited for a core ${run.serverWaitPercent.toFixed(1)} %, ` +
            `cores idle ${run.coresIdlePercent.toFixed(1)} %, ` +
            `streams opened in ${run.connectSeconds.toFixed(1)} s, ` +
            `tasks created at ${Math.round(run.tasksPerSecond)}/s\n`,
        );
      }
    }
    report(sides as [Side, Side]);
  } finally {
    for (const dir of worktrees) {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO_ROOT });
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  }
}

/** A detached worktree of `ref` in a temporary directory, built with this checkout's modules. */
function buildWorktree(ref: string, worktrees: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'a2a-ab-')), 'checkout');
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });
  worktrees.push(dir);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return build(dir, ref);
}

/**
 * Builds `dir` as `npm run build` does, and returns it. This checkout too: a side measured on a
 * dist/ older than its sources would compare the old code with itself.
 */
function build(dir: string, what: string): string {
  process.stdout.write(`building ${what} in ${dir}\n`);
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: dir, stdio: 'inherit' },
  );
  return dir;
}

function runOnce(side: Side, storage: string, scenario: string): Run {
  const args = ['--import', 'tsx', join(REPO_ROOT, 'bench', 'run.ts'), '--target', 'gateway'];
  args.push('--storage', storage, '--scenario', scenario, '--checkout', side.checkout);
  if (side.flags !== undefined) args.push('--node-flags', side.flags);
  if (side.node !== undefined) args.push('--node', side.node);
  const child = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const file = /results written to (\S+)/.exec(child.stdout)?.[1];
  if (child.status !== 0 || file === undefined) {
    throw new Error(`run of ${side.name} (${side.ref}) failed:\n${child.stdout}\n${child.stderr}`);
  }
  const { results } = JSON.parse(readFileSync(file, 'utf8')) as { results: ScenarioResult[] };
  const m = results[0].measurement;
  if (m === null || m.latencyMs === null) throw new Error(`run of ${side.name} measured nothing`);
  return {
    chunksPerSecond: m.chunksPerSecond,
    p50: m.latencyMs.p50,
    p99: m.latencyMs.p99,
    serverCpu: m.serverCpuPercent,
    serverUsPerChunk: m.chunksPerSecond > 0 ? perChunk(m.serverCpuPercent, m.chunksPerSecond) : NaN,
    dbCpu: m.dbCpuPercent ?? NaN,
    serverGcMs: m.serverStalls?.gcTotalMs ?? NaN,
    serverWaitPercent: m.runQueueWaitPercent.server ?? NaN,
    coresIdlePercent: m.coresIdlePercent ?? NaN,
    connectSeconds: m.connectMs / 1000,
    tasksPerSecond: m.tasksCreated / (m.createMs / 1000),
  };
}

function describeSide(side: Side): string {
  const flags = side.flags === undefined ? '' : ` (node flags "${side.flags}")`;
  return `${side.ref}${flags}${side.node === undefined ? '' : ` on ${side.node}`}`;
}

function report([a, b]: [Side, Side]): void {
  const mean = (runs: Run[], pick: (r: Run) => number): number =>
    runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
  const wins = (better: (x: Run, y: Run) => boolean): number =>
    b.runs.filter((r, i) => better(r, a.runs[i])).length;
  const n = b.runs.length;
  process.stdout.write(`\nA = ${describeSide(a)}\nB = ${describeSide(b)}\n`);
  for (const [label, pick, higherIsBetter] of [
    ['chunks/s', (r: Run) => r.chunksPerSecond, true],
    ['p50 ms', (r: Run) => r.p50, false],
    ['p99 ms', (r: Run) => r.p99, false],
    ['server CPU %', (r: Run) => r.serverCpu, false],
    ['server µs/chunk', (r: Run) => r.serverUsPerChunk, false],
    ['database CPU %', (r: Run) => r.dbCpu, false],
    ['server GC ms', (r: Run) => r.serverGcMs, false],
    ['waited %', (r: Run) => r.serverWaitPercent, false],
    ['cores idle %', (r: Run) => r.coresIdlePercent, false],
    ['streams open s', (r: Run) => r.connectSeconds, false],
    ['tasks created/s', (r: Run) => r.tasksPerSecond, true],
  ] as const) {
    if (Number.isNaN(mean(a.runs, pick))) continue;
    const better = wins((x, y) => (higherIsBetter ? pick(x) > pick(y) : pick(x) < pick(y)));
    process.stdout.write(
      `${label.padEnd(16)} A ${mean(a.runs, pick).toFixed(2).padStart(10)}  B ${mean(b.runs, pick).toFixed(2).padStart(10)}  B better in ${better} of ${n} pairs ` +
        `(identical builds split as unevenly in ${Math.round(signTestChance(better, n) * 100)} % of sets)\n`,
    );
  }
}

function flags(argv: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const { flag, inline } = splitArgument(argv[i]);
    const value = inline ?? argv[++i];
    if (!flag.startsWith('--') || value === undefined)
      throw new Error(`bad argument ${argv[i]}\n${USAGE}`);
    found.set(flag, value);
  }
  return found;
}

main();

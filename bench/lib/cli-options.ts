// Command-line flags of bench/run.ts.
import { resolve } from 'node:path';
import { SCENARIO_IDS, type ScenarioId } from './scenarios';
import type { TargetSpec } from './targets';

export interface Options {
  targets: TargetSpec[];
  scenarios: ScenarioId[];
  quick: boolean;
  /** Gateway processes write a V8 CPU profile here (node --cpu-prof) when they stop; null = off. */
  cpuProfDir: string | null;
  /** Every gateway's stdout and stderr go here too, with the measured intervals marked. */
  serverOutput: string | null;
  /** Node flags for gateway processes instead of their start script's; null = the script's. */
  nodeFlags: string[] | null;
  /** The checkout whose gateway build runs (default this one). */
  checkout?: string;
  /** The node binary that runs the gateway (default the one running the bench). */
  node?: string;
  /**
   * How many times each scenario runs on each target, the targets taking turns (A B C, then
   * C B A) so that each gateway row has a baseline row measured beside it.
   */
  rounds: number;
  /**
   * Scenario g: how long every server idles, after a full collection, before each RSS reading
   * (default the runner's settle time). Long enough, and V8's idle-time memory reducer has given
   * back the heap it keeps committed after a collection (session 24: Node 24's idle stream 24 KB
   * after 2 s, 15 KB after 30 s; Node 20's the same after either).
   */
  idleSettleMs?: number;
}

/** Upper bound on --rounds: a full round of every scenario takes some ten minutes. */
const MAX_ROUNDS = 20;
/** Upper bound on --idle-settle, in seconds: V8's memory reducer acts within a minute of idling. */
const MAX_IDLE_SETTLE_S = 300;

export const USAGE = `usage: npx tsx bench/run.ts [--target gateway|baseline|both] [--storage pglite|postgres|both]
                          [--scenario a,b,...] [--quick] [--cpu-prof DIR] [--server-output FILE]
                          [--node-flags "FLAGS"] [--node PATH] [--checkout DIR] [--rounds N]
                          [--idle-settle SECONDS]
  --target    which servers to measure (default both)
  --storage   the gateway's storage drivers (default both; ignored for the baseline)
  --scenario  comma-separated subset of ${SCENARIO_IDS.join(',')} (default all)
  --quick     scaled-down counts, for a smoke run
  --cpu-prof  profile each gateway process (node --cpu-prof) into DIR; open the .cpuprofile
              files in Chrome DevTools or speedscope. Profiling slows the gateway: its figures
              are for finding where the time goes, not for the table
  --server-output  append each gateway's output to FILE, with lines marking where each measured
              interval starts and ends (with --node-flags "... --trace-opt --trace-deopt": what
              V8 compiled inside the interval)
  --node-flags  node flags for the gateway instead of its start script's (package.json's
              start:postgres on PostgreSQL, start on PGlite); --node-flags "" for none
  --node      the node binary that runs the gateway (default the bench's own); the baseline and
              the load generator stay on the bench's
  --checkout  run the gateway built in another checkout of this repository (bench/ab.ts uses it)
  --rounds    run each scenario N times on every target, the targets taking turns, and report
              the median of each round's gateway/baseline ratio (default 1)
  --idle-settle  scenario g: seconds every server idles before each RSS reading (default 2);
              30 lets V8's idle-time memory reducer give back what it keeps after a collection`;

/**
 * `--flag=value` as flag and value, split at the first "=" only: a value may hold one
 * (`--node-flags=--max-semi-space-size=32`); `--flag` alone has no inline value.
 */
export function splitArgument(argument: string): { flag: string; inline: string | undefined } {
  const at = argument.indexOf('=');
  return at === -1
    ? { flag: argument, inline: undefined }
    : { flag: argument.slice(0, at), inline: argument.slice(at + 1) };
}

/** The value after `name` in a small script's arguments (`--top 12`), if it is there. */
export function flagValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

export function parseOptions(argv: readonly string[]): Options {
  let target = 'both';
  let storage = 'both';
  let scenarios: ScenarioId[] = [...SCENARIO_IDS];
  let quick = false;
  let cpuProfDir: string | null = null;
  let serverOutput: string | null = null;
  let nodeFlags: string[] | null = null;
  let checkout: string | undefined;
  let node: string | undefined;
  let rounds = 1;
  let idleSettleMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const { flag, inline } = splitArgument(argv[i]);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--target') target = oneOf(flag, value(), ['gateway', 'baseline', 'both']);
    else if (flag === '--storage') storage = oneOf(flag, value(), ['pglite', 'postgres', 'both']);
    else if (flag === '--scenario')
      scenarios = value()
        .split(',')
        .map((id) => scenarioId(id.trim()));
    else if (flag === '--quick') quick = true;
    else if (flag === '--cpu-prof') cpuProfDir = resolve(value());
    else if (flag === '--server-output') serverOutput = resolve(value());
    else if (flag === '--node-flags') nodeFlags = value().split(/\s+/).filter(Boolean);
    else if (flag === '--checkout') checkout = resolve(value());
    else if (flag === '--node') node = resolve(value());
    else if (flag === '--rounds') rounds = wholeNumber(flag, value(), 1, MAX_ROUNDS);
    else if (flag === '--idle-settle')
      idleSettleMs = wholeNumber(flag, value(), 0, MAX_IDLE_SETTLE_S) * 1000;
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  const targets: TargetSpec[] = [];
  if (target !== 'gateway') targets.push({ target: 'baseline', storage: 'none' });
  if (target !== 'baseline') {
    if (storage !== 'postgres') targets.push({ target: 'gateway', storage: 'pglite' });
    if (storage !== 'pglite') targets.push({ target: 'gateway', storage: 'postgres' });
  }
  return {
    targets,
    scenarios,
    quick,
    cpuProfDir,
    serverOutput,
    nodeFlags,
    checkout,
    node,
    rounds,
    idleSettleMs,
  };
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${flag} must be a whole number from ${min} to ${max}\n${USAGE}`);
  return n;
}

function oneOf(flag: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value))
    throw new Error(`${flag} must be one of ${allowed.join(', ')}\n${USAGE}`);
  return value;
}

function scenarioId(id: string): ScenarioId {
  const found = SCENARIO_IDS.find((known) => known === id);
  if (found === undefined) throw new Error(`unknown scenario "${id}"\n${USAGE}`);
  return found;
}

/** The command that reruns exactly one row. */
export function reproduceCommand(
  spec: TargetSpec,
  scenario: ScenarioId,
  quick: boolean,
  gateway: Pick<Options, 'nodeFlags' | 'checkout' | 'node' | 'idleSettleMs'>,
): string {
  const parts = ['npx tsx bench/run.ts', `--target ${spec.target}`];
  if (spec.target === 'gateway') parts.push(`--storage ${spec.storage}`);
  parts.push(`--scenario ${scenario}`);
  if (quick) parts.push('--quick');
  if (spec.target === 'gateway') {
    if (gateway.nodeFlags !== null) parts.push(`--node-flags "${gateway.nodeFlags.join(' ')}"`);
    if (gateway.node !== undefined) parts.push(`--node ${gateway.node}`);
    if (gateway.checkout !== undefined) parts.push(`--checkout ${gateway.checkout}`);
  }
  if (scenario === 'g' && gateway.idleSettleMs !== undefined)
    parts.push(`--idle-settle ${gateway.idleSettleMs / 1000}`);
  return parts.join(' ');
}

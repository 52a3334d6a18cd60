// Summarises a V8 .cpuprofile (from `bench/run.ts --cpu-prof DIR`) as text: where the samples
// fall by package / area, and the functions with the most self and inclusive time.
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--match text] [--last S]
// --callers text [--depth N] also prints the stacks (N frames) leading to matching functions.
// --match keeps only the inclusive rows whose function or file contains `text`; --last counts only
// the samples of the last S seconds before the process stopped (a profile covers the whole
// process: start-up and task creation too; the measured interval is the end of a run), and
// --skip-last S leaves out the last S seconds (closing the connections after the interval).
// It also counts the gaps between samples: node samples every millisecond, so a gap of several
// means the thread (or the sampler) was off its core, and its time is charged to the next sample.
import { readFileSync } from 'node:fs';
import { flagValue } from './lib/cli-options';

/** Samples further apart than this (node's --cpu-prof samples every 1 ms) count as a gap. */
const GAP_US = 3000;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (file === undefined) {
    process.stderr.write(
      'usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--match text] [--last S] [--skip-last S]\n',
    );
    process.exitCode = 2;
    return;
  }
  const top = Number(flagValue(args, '--top') ?? 25);
  const match = flagValue(args, '--match');
  const lastSeconds = Number(flagValue(args, '--last') ?? Infinity);
  const skipLastSeconds = Number(flagValue(args, '--skip-last') ?? 0);
  const callersOf = flagValue(args, '--callers');
  const depth = Number(flagValue(args, '--depth') ?? 8);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const at: number[] = [];
  let clock = 0;
  for (const dt of profile.timeDeltas) at.push((clock += Math.max(0, dt)));
  const until = clock - skipLastSeconds * 1e6;
  const from = until - lastSeconds * 1e6;
  const self = new Map<number, number>();
  const gapEnds = new Map<string, number>();
  const gaps: number[] = [];
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (at[i] < from || at[i] > until) return;
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
    if (dt > GAP_US) {
      gaps.push(dt);
      const frame = byId.get(id)?.callFrame;
      if (frame !== undefined) add(gapEnds, describe(frame), dt);
    }
  });

  const areaSelf = new Map<string, number>();
  const fnSelf = new Map<string, number>();
  const fnInclusive = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    add(areaSelf, area(node.callFrame), time);
    add(fnSelf, describe(node.callFrame), time);
    // Inclusive: every distinct function on the sample's stack gets the sample once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined) break;
      const key = describe(frame);
      if (!seen.has(key)) {
        seen.add(key);
        add(fnInclusive, key, time);
      }
    }
  }

  const pct = (t: number): string => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
  const print = (title: string, map: Map<string, number>, filter?: string): void => {
    process.stdout.write(`\n${title}\n`);
    [...map]
      .filter(([key]) => filter === undefined || key.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([key, t]) => process.stdout.write(`${pct(t)}  ${key}\n`));
  };
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  print('self time by area', areaSelf);
  print('self time by function', fnSelf);
  print('inclusive time by function', fnInclusive, match);
  const gapTotal = gaps.reduce((sum, dt) => sum + dt, 0);
  process.stdout.write(
    `\ngaps between samples over ${GAP_US / 1000} ms (the thread, or the sampler, off its core): ` +
      `${gaps.length}, ${(gapTotal / 1000).toFixed(0)} ms in all (${pct(gapTotal).trim()}), ` +
      `longest ${(gaps.reduce((max, dt) => Math.max(max, dt), 0) / 1000).toFixed(1)} ms\n`,
  );
  if (gaps.length > 0) print('the function each gap was charged to', gapEnds);
  if (callersOf !== undefined) {
    // Which stacks lead to the matching functions: each sample's path below the first match.
    const paths = new Map<string, number>();
    for (const [id, time] of self) {
      const stack: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame !== undefined) stack.push(describe(frame));
      }
      const hit = stack.findIndex((f) => f.includes(callersOf));
      if (hit >= 0) add(paths, stack.slice(hit, hit + depth).join('\n        < '), time);
    }
    print(`stacks through "${callersOf}" (callee first, ${depth} frames)`, paths);
  }
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function describe(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** The package (node_modules), node's own code, the gateway's code, or V8's pseudo-frames. */
function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return url
      .slice(dist + 1)
      .split('/')
      .slice(0, 4)
      .join('/');
  return url;
}

main();

// Entry point: runs the chosen scenarios against the chosen servers, prints the table and writes
// bench/results/<timestamp>.json. Each row gets a fresh server process, except with --quick where
// one process per target serves every scenario (a gateway takes seconds to start).
//   npx tsx bench/run.ts [--target gateway|baseline|both] [--storage pglite|postgres|both] [--scenario a,b] [--quick]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseOptions, reproduceCommand, USAGE, type Options } from './lib/cli-options';
import { checkHost, formatHostCheck } from './lib/host-check';
import { autovacuumIsOn } from './lib/postgres-db';
import { openFileLimit } from './lib/proc-stats';
import { formatReport, label, writeResults } from './lib/report';
import { formatRoundsSummary } from './lib/rounds-summary';
import { formatVerdicts, targetVerdicts } from './lib/target-verdicts';
import type { ScenarioResult } from './lib/result-types';
import { measureScenario } from './lib/scenario-runner';
import { runnerOptions, SCENARIO_IDS, scenariosFor, type Scenario } from './lib/scenarios';
import { killAllServersNow, type ServerProcess } from './lib/server-process';
import { GatewayFixtures, startTarget, type TargetSpec } from './lib/targets';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) return void process.stdout.write(`${USAGE}\n`);
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${describe(error)}\n`);
    process.exitCode = 2;
    return;
  }
  const startedAt = new Date();
  const scenarios = scenariosFor(options.scenarios, options.quick);
  const fileLimit = openFileLimit();
  // Other work on the machine competes for the same cores: the load average says how much.
  const loadBefore = loadavg()[0];
  process.stdout.write(
    `open file limit: ${fileLimit}; ${cpus().length} cpus; load average ${loadBefore.toFixed(2)}; node ${process.version}\n`,
  );
  if (options.targets.some((t) => t.storage === 'postgres') && !autovacuumIsOn()) {
    process.stdout.write(
      'PostgreSQL runs with autovacuum off here: each postgres setup runs ANALYZE once its tasks exist, as autoanalyze would\n',
    );
  }
  const host = await checkHost();
  const hostLine = formatHostCheck(host);
  process.stdout.write(`${hostLine}\n`);

  const fixtures = new GatewayFixtures(options);
  const gatewayNode = nodeVersion(fixtures.node);
  if (fixtures.node !== process.execPath)
    process.stdout.write(`the gateway runs on node ${gatewayNode} (${fixtures.node})\n`);
  const results: ScenarioResult[] = [];
  try {
    for (const turn of runPlan(options, scenarios)) {
      results.push(...(await runTarget(turn, options, fixtures)));
    }
  } finally {
    await fixtures.dispose();
  }
  // The table groups each scenario's rows, round by round, so that gateway and baseline sit side by side.
  results.sort(
    (x, y) =>
      SCENARIO_IDS.indexOf(x.scenario) - SCENARIO_IDS.indexOf(y.scenario) ||
      x.round - y.round ||
      targetIndex(options, x) - targetIndex(options, y),
  );

  const load = `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after\nbefore the scenarios, ${hostLine}`;
  const summary = options.rounds > 1 ? `\n\n${formatRoundsSummary(results)}` : '';
  const verdicts = targetVerdicts(results);
  process.stdout.write(
    `\n${formatReport(results, cpus().length)}${summary}\n\n${formatVerdicts(verdicts, options.quick)}\n\n${load}\n`,
  );
  const file = writeResults(join(__dirname, 'results'), startedAt, {
    startedAt: startedAt.toISOString(),
    quick: options.quick,
    rounds: options.rounds,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      openFileLimit: fileLimit,
      loadAverage1mBefore: loadBefore,
      loadAverage1mAfter: loadavg()[0],
      cpuLoop: host,
    },
    gateway: {
      checkout: fixtures.checkout,
      node: gatewayNode,
      nodeFlags: {
        pglite: fixtures.nodeFlagsFor('pglite'),
        postgres: fixtures.nodeFlagsFor('postgres'),
      },
    },
    scenarios,
    results,
    targets: options.quick ? null : verdicts,
  });
  process.stdout.write(`\nresults written to ${file}\n`);
  if (options.cpuProfDir !== null)
    process.stdout.write(`gateway CPU profiles written to ${options.cpuProfDir}\n`);
  if (results.some((r) => r.error !== null)) process.exitCode = 1;
}

/** One target running some scenarios in one round: on one server process with --quick. */
interface Turn {
  round: number;
  spec: TargetSpec;
  scenarios: readonly Scenario[];
}

/**
 * The order of the runs. Each round the targets take turns, in reverse every other round, so that a
 * drift in the host's speed favours no target. Without --quick every row has a server of its own,
 * and a scenario's rounds run back to back: a gateway row and its baseline row are measured
 * minutes apart at most. With --quick a target's server serves all scenarios of its turn.
 */
function runPlan(options: Options, scenarios: readonly Scenario[]): Turn[] {
  const inTurn = (round: number): TargetSpec[] =>
    round % 2 === 1 ? options.targets : [...options.targets].reverse();
  const rounds = Array.from({ length: options.rounds }, (_unused, i) => i + 1);
  if (runnerOptions(options.quick).shareServer) {
    return rounds.flatMap((round) => inTurn(round).map((spec) => ({ round, spec, scenarios })));
  }
  return scenarios.flatMap((scenario) =>
    rounds.flatMap((round) =>
      inTurn(round).map((spec) => ({ round, spec, scenarios: [scenario] })),
    ),
  );
}

function targetIndex(options: Options, result: ScenarioResult): number {
  return options.targets.findIndex(
    (spec) => spec.target === result.target && spec.storage === result.storage,
  );
}

async function runTarget(
  { round, spec, scenarios }: Turn,
  { quick, nodeFlags, checkout, node, rounds, idleSettleMs }: Options,
  fixtures: GatewayFixtures,
): Promise<ScenarioResult[]> {
  const defaults = runnerOptions(quick);
  const timings = { ...defaults, idleSettleMs: idleSettleMs ?? defaults.idleSettleMs };
  const results = scenarios.map((scenario): ScenarioResult => ({
    scenario: scenario.id,
    title: scenario.title,
    round,
    target: spec.target,
    storage: spec.storage,
    command: reproduceCommand(spec, scenario.id, quick, {
      nodeFlags,
      checkout,
      node,
      idleSettleMs,
    }),
    error: null,
    measurement: null,
  }));
  if (spec.target === 'gateway' && !existsSync(fixtures.main)) {
    for (const result of results)
      result.error = `${fixtures.main} does not exist (run npm run build)`;
    process.stdout.write(`${label(results[0])}: skipped, ${fixtures.main} does not exist\n`);
    return results;
  }
  let shared: ServerProcess | null = null;
  let startFailure: string | null = null;
  try {
    for (const i of executionOrder(scenarios, timings.shareServer)) {
      const scenario = scenarios[i];
      const result = results[i];
      const ofRounds = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
      process.stdout.write(`${scenario.id} ${label(result)}${ofRounds}: ${scenario.title} ... `);
      if (startFailure !== null) {
        result.error = startFailure;
        process.stdout.write('skipped, the server did not start\n');
        continue;
      }
      const started = Date.now();
      let server: ServerProcess | null = shared;
      try {
        server ??= await startTarget(spec, fixtures);
        if (timings.shareServer) shared = server;
        const startMs = Date.now() - started;
        try {
          result.measurement = await measureScenario(scenario, server, spec.storage, timings);
        } catch (error) {
          result.error = `${describe(error)}\n--- server output (tail) ---\n${server.outputTail()}`;
          // Whatever broke, the next scenario gets a fresh server rather than a suspect one.
          if (shared !== null) await shared.stop();
          shared = null;
        }
        const m = result.measurement;
        const phases =
          m === null
            ? ''
            : `: server start ${seconds(startMs)}, setup ${seconds(m.setupMs)}, measured ${seconds(m.measuredMs)}; ` +
              `${m.streamsOpened} streams opened in ${seconds(m.connectMs)}, ` +
              `tasks created at ${Math.round(m.tasksCreated / (m.createMs / 1000))}/s`;
        process.stdout.write(
          `${m === null ? 'FAILED' : 'done'} in ${seconds(Date.now() - started)}${phases}\n`,
        );
      } catch (error) {
        result.error = describe(error);
        startFailure = result.error;
        process.stdout.write(`FAILED to start in ${seconds(Date.now() - started)}\n`);
      } finally {
        if (!timings.shareServer) await server?.stop();
      }
    }
  } finally {
    await shared?.stop();
  }
  return results;
}

/**
 * Indexes of `scenarios` in the order to run them. On a shared server the idle-connection scenario
 * goes first: later, memory freed by earlier scenarios would absorb the connections' allocations
 * and hide them from the RSS delta.
 */
function executionOrder(scenarios: readonly Scenario[], shareServer: boolean): number[] {
  const indexes = scenarios.map((_scenario, i) => i);
  if (!shareServer) return indexes;
  return [
    ...indexes.filter((i) => scenarios[i].kind === 'idle'),
    ...indexes.filter((i) => scenarios[i].kind !== 'idle'),
  ];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function nodeVersion(binary: string): string {
  return binary === process.execPath
    ? process.version
    : execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// Never leave a server behind: on Ctrl-C, a kill, or a crash of the harness itself.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServersNow();
    process.exit(130);
  });
}
process.on('exit', killAllServersNow);
process.on('uncaughtException', (error) => {
  killAllServersNow();
  process.stderr.write(`${describe(error)}\n`);
  process.exit(1);
});

void main();

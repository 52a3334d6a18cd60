// Scenario g compares a server's RSS before and after opening 10,000 streams. Creating the tasks
// just before leaves garbage, and a collection that frees it while the streams open makes the
// process shrink: session 13's gateway on PostgreSQL went 311 -> 305 MB, a row reported as not
// measured. So every server the bench starts can be asked for a full collection before each
// reading, over the IPC channel node opens for a child spawned with one: the script below, given
// to node with --require, answers 'gc' with 'gc-done' once V8's full collection has run. A file
// and --require, not a data: URL and --import: with --import node loads the entry point as an ES
// module, and the relay's .ts entry is only known to tsx's CommonJS hook.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELOAD = [
  "const { setFlagsFromString } = require('node:v8');",
  "const { runInNewContext } = require('node:vm');",
  "setFlagsFromString('--expose-gc');",
  // Taken from a fresh context: the flag came after the main one was made (collect-garbage.ts).
  "const gc = runInNewContext('gc');",
  "process.on('message', (m) => { if (m === 'gc') { gc(); process.send('gc-done'); } });",
  // A 'message' listener holds the event loop open; the server must still exit when it is done.
  'process.channel?.unref();',
].join('\n');

let preloadPath: string | null = null;

/** Node flags that load the script answering 'gc' (the child needs an 'ipc' stdio slot). */
export function serverGcFlags(): string[] {
  if (preloadPath === null) {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-bench-gc-'));
    preloadPath = join(dir, 'answer-gc.cjs');
    writeFileSync(preloadPath, PRELOAD);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return ['--require', preloadPath];
}

const GC_TIMEOUT_MS = 10_000;

/** A full collection in the server; resolves once it has run. */
export function collectServerGarbage(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`server ${child.pid} did not answer 'gc' within ${GC_TIMEOUT_MS} ms`));
    }, GC_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      if (message !== 'gc-done') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send('gc');
  });
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { collectServerGarbage, serverGcFlags } from './server-gc';

describe('server garbage collection on request', () => {
  it('runs a collection in a child when asked, and lets the child exit when its work is done', async () => {
    // The child measures its own heap before and after, and exits by itself once its timer has
    // fired: the IPC channel must not hold it open.
    const child = spawn(
      process.execPath,
      [
        ...serverGcFlags(),
        '-e',
        [
          'globalThis.junk = Array.from({ length: 200000 }, (_, i) => ({ i }));',
          'globalThis.junk = null;',
          'const before = process.memoryUsage().heapUsed;',
          "process.on('message', () => setImmediate(() => process.stdout.write(String(before - process.memoryUsage().heapUsed))));",
          'setTimeout(() => {}, 1000);',
        ].join('\n'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
    );
    let output = '';
    child.stdout?.on('data', (part: Buffer) => (output += part.toString()));
    await collectServerGarbage(child);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    // 200,000 small objects are several MB; the collection freed them.
    expect(Number(output)).toBeGreaterThan(2_000_000);
  });
});

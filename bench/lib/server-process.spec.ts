import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from './server-process';

describe('a server process with its output kept (--server-output)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-output-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("appends the process's stdout and stderr to the file, between the harness's marks", async () => {
    const file = join(dir, 'server.log');
    // The child prints once it is told to (stdin is closed, so it waits on IPC): the mark written
    // before the message must come before its output in the file.
    const spawned = spawnServer(
      process.execPath,
      [
        '-e',
        "process.on('message', () => { console.log('to stdout'); console.error('to stderr'); process.disconnect(); })",
      ],
      process.env,
      dir,
      file,
    );
    spawned.mark('interval starts');
    spawned.child.send('go');
    await spawned.exited;
    spawned.mark('too late: the file is closed');
    const lines = readFileSync(file, 'utf8').trim().split('\n');

    expect(lines[0]).toMatch(/^=== .*node -e .* \(0\.\d{3} s after pid \d+ started\) ===$/);
    expect(lines[1]).toMatch(/^=== interval starts \(\d+\.\d{3} s after pid \d+ started\) ===$/);
    expect(lines.slice(2).sort()).toEqual(['to stderr', 'to stdout']);
    expect(spawned.outputTail()).toContain('to stdout');
  });

  it('keeps only the tail without a file', async () => {
    const spawned = spawnServer(process.execPath, ['-e', "console.log('only here')"], {}, dir);
    spawned.mark('nowhere to go');
    await spawned.exited;
    expect(spawned.outputTail()).toBe('only here\n');
  });
});

import {
  idlePercentBetween,
  machineCpuFrom,
  postgresCpuBetween,
  postgresRole,
  type PostgresCpuSnapshot,
  readMachineCpu,
} from './proc-stats';

describe('postgresRole', () => {
  it.each([
    ['/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main', 'postmaster'],
    ['postgres: 15/main: postgres bench 127.0.0.1(50412) idle', 'backends'],
    ['postgres: 15/main: postgres bench [local] SELECT', 'backends'],
    ['postgres: 15/main: autovacuum worker bench', 'autovacuum'],
    ['postgres: 15/main: walwriter', 'wal writer'],
    ['postgres: 15/main: checkpointer', 'checkpointer'],
    ['postgres: 15/main: background writer', 'background writer'],
    ['postgres: 15/main: logical replication launcher', 'other'],
  ])('%s is %s', (cmdline, role) => {
    expect(postgresRole(cmdline)).toBe(role);
  });
});

describe('postgresCpuBetween', () => {
  const snapshot = (
    processes: [number, number, ReturnType<typeof postgresRole>][],
    reapedTicks: number,
  ): PostgresCpuSnapshot => ({
    byPid: new Map(processes.map(([pid, ticks, role]) => [pid, { ticks, role }])),
    reapedTicks,
  });

  it('adds the living processes by role and counts an ended one through the reaped time', () => {
    const before = snapshot(
      [
        [1, 10, 'postmaster'],
        [2, 100, 'backends'],
        [3, 50, 'backends'],
        [4, 30, 'autovacuum'],
      ],
      500,
    );
    // pid 4 ended after 45 ticks in all; a worker born and ended in between spent 20.
    const after = snapshot(
      [
        [1, 11, 'postmaster'],
        [2, 160, 'backends'],
        [3, 70, 'backends'],
        [5, 7, 'wal writer'],
      ],
      500 + 45 + 20,
    );
    expect(Object.fromEntries(postgresCpuBetween(before, after))).toEqual({
      postmaster: 1,
      backends: 80,
      'wal writer': 7,
      exited: 45 - 30 + 20,
    });
  });
});

describe('machine CPU from /proc/stat', () => {
  const stat = (fields: string): string =>
    `cpu  ${fields}\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\nctxt 678\n`;

  it('counts idle and iowait as idle, and every state but guest time in the total', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    expect(machineCpuFrom(stat('100 5 40 800 10 3 7 2 30 0'))).toEqual({
      idleTicks: 810,
      totalTicks: 967,
    });
  });

  it('reads a kernel that prints fewer columns', () => {
    expect(machineCpuFrom(stat('100 5 40 800'))).toEqual({ idleTicks: 800, totalTicks: 945 });
  });

  it('gives the idle share between two readings, and none when no time passed', () => {
    const before = { idleTicks: 1000, totalTicks: 2000 };
    expect(idlePercentBetween(before, { idleTicks: 1050, totalTicks: 2200 })).toBeCloseTo(25, 6);
    expect(idlePercentBetween(before, before)).toBeNull();
  });

  it('reads this machine: idle within the total, and a share between 0 and 100', async () => {
    const before = readMachineCpu();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = readMachineCpu();
    expect(before.idleTicks).toBeLessThanOrEqual(before.totalTicks);
    expect(after.totalTicks).toBeGreaterThanOrEqual(before.totalTicks);
    const share = idlePercentBetween(before, after);
    if (share !== null) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(100);
    }
  });

  it('refuses text without a cpu line', () => {
    expect(() => machineCpuFrom('intr 1\n')).toThrow('/proc/stat has no cpu line');
  });
});

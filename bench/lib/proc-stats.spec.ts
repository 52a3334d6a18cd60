import { postgresCpuBetween, postgresRole, type PostgresCpuSnapshot } from './proc-stats';

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

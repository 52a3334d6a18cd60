import { checkHost, formatHostCheck, slowdown } from './host-check';

describe('host check', () => {
  it('times the loop in worker threads, alone and two at once', async () => {
    const check = await checkHost();
    expect(check.aloneMs).toBeGreaterThan(0);
    expect(check.togetherMs).toHaveLength(2);
    for (const ms of check.togetherMs) expect(ms).toBeGreaterThan(0);
    expect(check.syscallUs).toBeGreaterThan(0);
    expect(check.memoryNs).toBeGreaterThan(0);
  });

  it('says the cores run independently when two loops take as long as one', () => {
    const check = {
      aloneMs: 915,
      togetherMs: [910, 960] as [number, number],
      syscallUs: 2.94,
      memoryNs: 61.6,
    };
    expect(slowdown(check)).toBeCloseTo(960 / 915);
    expect(formatHostCheck(check)).toBe(
      'CPU loop: 915 ms alone, 910 ms and 960 ms two at once (the cores run independently); ' +
        'a system call: 2.94 µs (a 1-byte write to /dev/null); ' +
        'a memory load: 61.6 ns (dependent, at random over 16 MB)',
    );
  });

  it('says when two loops slow each other down', () => {
    expect(
      formatHostCheck({
        aloneMs: 317,
        togetherMs: [319, 401],
        syscallUs: 0.61,
        memoryNs: 20,
      }),
    ).toMatch(
      /^CPU loop: 317 ms alone, 319 ms and 401 ms two at once \(x1\.26 slower together: the cores are not independent here/,
    );
  });
});

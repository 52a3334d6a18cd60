import { parseOptions, reproduceCommand } from './cli-options';

describe('bench/run.ts options', () => {
  it('reads --idle-settle in seconds and leaves it unset by default', () => {
    expect(parseOptions(['--idle-settle', '30']).idleSettleMs).toBe(30_000);
    expect(parseOptions(['--idle-settle=0']).idleSettleMs).toBe(0);
    expect(parseOptions([]).idleSettleMs).toBeUndefined();
  });

  it('refuses an --idle-settle that is not a whole number of seconds up to five minutes', () => {
    expect(() => parseOptions(['--idle-settle', '1.5'])).toThrow(/--idle-settle must be/);
    expect(() => parseOptions(['--idle-settle', '301'])).toThrow(/--idle-settle must be/);
    expect(() => parseOptions(['--idle-settle'])).toThrow(/--idle-settle needs a value/);
  });

  it('puts --idle-settle in the reproduce command of g rows only', () => {
    const gateway = { nodeFlags: null, node: undefined, checkout: undefined, idleSettleMs: 30_000 };
    const spec = { target: 'gateway', storage: 'postgres' } as const;
    expect(reproduceCommand(spec, 'g', false, gateway)).toBe(
      'npx tsx bench/run.ts --target gateway --storage postgres --scenario g --idle-settle 30',
    );
    expect(reproduceCommand({ target: 'baseline', storage: 'none' }, 'g', false, gateway)).toBe(
      'npx tsx bench/run.ts --target baseline --scenario g --idle-settle 30',
    );
    expect(reproduceCommand(spec, 'd', false, gateway)).toBe(
      'npx tsx bench/run.ts --target gateway --storage postgres --scenario d',
    );
  });
});

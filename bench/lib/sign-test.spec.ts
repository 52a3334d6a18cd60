import { signTestChance } from './sign-test';

describe('signTestChance', () => {
  it('gives the exact two-sided tail of a fair coin', () => {
    // 5 or more of 7, or 2 or fewer: (21 + 7 + 1) x 2 / 128.
    expect(signTestChance(5, 7)).toBeCloseTo(58 / 128, 10);
    expect(signTestChance(2, 7)).toBeCloseTo(58 / 128, 10);
    expect(signTestChance(7, 7)).toBeCloseTo(2 / 128, 10);
    expect(signTestChance(0, 4)).toBeCloseTo(2 / 16, 10);
  });

  it('is certain for an even split and for no pairs at all', () => {
    expect(signTestChance(2, 4)).toBe(1);
    expect(signTestChance(3, 7)).toBe(1);
    expect(signTestChance(0, 0)).toBe(1);
  });
});

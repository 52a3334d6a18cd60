// How often two identical builds would split a set of alternating pairs at least as unevenly as a
// measured set did: the two-sided sign test, exact. On a host that drifts, "B better in 5 of 7"
// reads like a result and is what identical builds give in 45 % of sets
// (docs/benchmarks-history.md, session 20: an A/A set by mistake, B better in 5 of 7 pairs and p99
// lower in 7 of 7).

/** The number of ways to choose k of n. */
function choose(n: number, k: number): number {
  let ways = 1;
  for (let i = 1; i <= k; i++) ways = (ways * (n - k + i)) / i;
  return ways;
}

/** P(either side wins at least max(wins, pairs - wins) of `pairs`) when each pair is a coin toss. */
export function signTestChance(wins: number, pairs: number): number {
  if (pairs === 0) return 1;
  const extreme = Math.max(wins, pairs - wins);
  let tail = 0;
  for (let k = extreme; k <= pairs; k++) tail += choose(pairs, k);
  return Math.min(1, (2 * tail) / 2 ** pairs);
}

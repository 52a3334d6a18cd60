import { Clock } from '../../src/common/clock';

/** A clock the test moves by hand (TTL expiry, pruning) instead of waiting. */
export class ManualClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

import { InMemoryTaskEventBus } from '../../bus/in-memory-task-event-bus';
import { TaskPauseWaiter } from './task-pause-waiter';

/** A bus whose broker connection the test can drop and restore: what Redis and NATS report then. */
class DroppingBus extends InMemoryTaskEventBus {
  reconnected(): void {
    this.local.missed();
  }
}

describe('TaskPauseWaiter', () => {
  it('asks the store again when the bus may have lost the pause, and is released by it', async () => {
    const bus = new DroppingBus();
    const waiter = new TaskPauseWaiter(bus);
    waiter.onModuleInit();
    let pausedInStore = false;
    const checks: boolean[] = [];
    const pausedAlready = () => {
      checks.push(pausedInStore);
      return Promise.resolve(pausedInStore);
    };
    let released = false;
    const waiting = waiter.waitForPause('t1', 60_000, pausedAlready).then(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));

    bus.reconnected();
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);

    // The pause was stored while the bus was down: its message never came.
    pausedInStore = true;
    bus.reconnected();
    await waiting;
    expect(released).toBe(true);
    expect(checks).toEqual([false, false, true]);
    waiter.onModuleDestroy();
  });
});

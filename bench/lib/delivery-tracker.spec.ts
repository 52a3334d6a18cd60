import { DeliveryTracker } from './delivery-tracker';

function update(sequence: number, sentAt: number): string {
  return JSON.stringify({
    artifactUpdate: {
      artifact: { artifactId: 'a1', parts: [{ text: `t:${sentAt.toFixed(3)}` }] },
      metadata: { sequence },
    },
  });
}

describe('DeliveryTracker', () => {
  it.each([0, 2])(
    'counts duplicates and out-of-order chunks, past the expected count too (expected %i)',
    (expected) => {
      const tracker = new DeliveryTracker(2, 0, expected);
      const receive = (stream: number, sequence: number, id: number): void =>
        tracker.onEvent(stream, id, 'artifact-update', update(sequence, 100), 105);
      receive(0, 1, 1);
      receive(0, 3, 2);
      receive(0, 2, 3); // late
      receive(0, 3, 4); // again
      receive(1, 1, 1);
      receive(1, 1, 1); // again, and its SSE id did not increase
      receive(1, 40, 2); // far past the expected count
      expect(tracker.delivered).toBe(5);
      expect(tracker.duplicates).toBe(2);
      expect(tracker.outOfOrder).toBe(1);
      expect(tracker.idRegressions).toBe(1);
      expect(tracker.latencies.summary()?.max).toBe(5);
    },
  );
});

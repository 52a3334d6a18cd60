import type { StoredEvent } from '../task-messages/stored-event';
import { decodeForeignMessage, encodeEvents, encodeMissed, newBusId } from './bus-message';

const event: StoredEvent = {
  taskId: 't1',
  id: 7,
  event: 'artifact-update',
  data: '{"x":1}',
  terminal: false,
};

describe('bus messages', () => {
  it('carries another instance’s events, and skips an instance’s own', () => {
    const [self, other] = [newBusId(), newBusId()];
    const text = encodeEvents(other, [event]);
    expect(decodeForeignMessage(self, text)).toEqual({ events: [event], missed: false });
    expect(decodeForeignMessage(other, text)).toBeNull();
  });

  it('tells the other instances to look in the store after a reconnect', () => {
    const [self, other] = [newBusId(), newBusId()];
    expect(decodeForeignMessage(self, encodeMissed(other))).toEqual({ events: [], missed: true });
    expect(decodeForeignMessage(other, encodeMissed(other))).toBeNull();
  });

  it('ignores what is not a bus message', () => {
    expect(decodeForeignMessage(newBusId(), 'not json')).toBeNull();
    expect(decodeForeignMessage(newBusId(), '{"from":"x"}')).toBeNull();
  });
});

import { type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection, StringCodec } from 'nats';
import type { StoredEvent } from '../task-messages/stored-event';
import { BUS_TOPIC, decodeForeignEvents, encodeEvents, newBusId } from './bus-message';
import { LocalListeners } from './local-listeners';
import { TaskEventBus, type TaskEventsListener } from './task-event-bus';

const codec = StringCodec();

/**
 * Fan-out across instances through NATS core pub/sub (the nats client reconnects by itself).
 * At-most-once like Redis: a stream that misses a message fills the gap from the store.
 */
export class NatsTaskEventBus extends TaskEventBus implements OnApplicationShutdown {
  private readonly local = new LocalListeners();
  private readonly id = newBusId();

  private constructor(private readonly connection: NatsConnection) {
    super();
    connection.subscribe(BUS_TOPIC, {
      callback: (error, message) => {
        if (error) return;
        const events = decodeForeignEvents(this.id, codec.decode(message.data));
        if (events) this.local.deliver(events);
      },
    });
  }

  static async connect(url: string): Promise<NatsTaskEventBus> {
    return new NatsTaskEventBus(
      await connect({ servers: url, name: 'a2a-gateway', maxReconnectAttempts: -1 }),
    );
  }

  publish(events: readonly StoredEvent[]): Promise<void> {
    this.local.deliver(events);
    this.connection.publish(BUS_TOPIC, codec.encode(encodeEvents(this.id, events)));
    return Promise.resolve();
  }

  subscribe(listener: TaskEventsListener): () => void {
    return this.local.add(listener);
  }

  async ping(): Promise<void> {
    await this.connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}

import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { connect, Events, type NatsConnection, StringCodec } from 'nats';
import type { StoredEvent } from '../task-messages/stored-event';
import {
  BUS_TOPIC,
  decodeForeignMessage,
  encodeEvents,
  encodeMissed,
  newBusId,
} from './bus-message';
import { TaskEventBus } from './task-event-bus';

const codec = StringCodec();

/**
 * Fan-out across instances through NATS core pub/sub (the nats client reconnects and
 * resubscribes by itself). At-most-once like Redis: after a reconnect this instance's listeners,
 * and the other instances', are told to look in the store for what was published meanwhile.
 */
export class NatsTaskEventBus extends TaskEventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsTaskEventBus.name);
  private readonly id = newBusId();

  private constructor(private readonly connection: NatsConnection) {
    super();
    connection.subscribe(BUS_TOPIC, {
      callback: (error, message) => {
        if (error) return;
        this.local.receive(decodeForeignMessage(this.id, codec.decode(message.data)));
      },
    });
    void this.watchReconnects();
  }

  private async watchReconnects(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type !== Events.Reconnect) continue;
      try {
        // The client sends its subscriptions again on reconnecting; the flush's round trip
        // means the server has them before anyone reads the store.
        await this.connection.flush();
        this.local.missed();
        // The client buffers what is published while it reconnects, up to a limit: past it,
        // messages are dropped, and the other instances should look in the store too.
        this.connection.publish(BUS_TOPIC, codec.encode(encodeMissed(this.id)));
      } catch (error) {
        this.logger.warn(`NATS: after reconnecting: ${(error as Error).message}`);
      }
    }
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

  async ping(): Promise<void> {
    await this.connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}

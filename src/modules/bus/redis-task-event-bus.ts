import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { StoredEvent } from '../task-messages/stored-event';
import {
  BUS_TOPIC,
  decodeForeignMessage,
  encodeEvents,
  encodeMissed,
  newBusId,
} from './bus-message';
import { TaskEventBus } from './task-event-bus';

/**
 * Fan-out across instances through Redis pub/sub (ioredis: reconnects and resubscribes by
 * itself). Pub/sub drops what is published while a connection is down. When the subscriber's
 * comes back (subscribed again), this instance's listeners look in the store (onMissed); when the
 * publisher's does, it tells the other instances to. Publishing while disconnected fails at once
 * instead of queueing: stored events are acknowledged without waiting for the bus.
 */
export class RedisTaskEventBus extends TaskEventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisTaskEventBus.name);
  private readonly id = newBusId();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  private constructor(url: string) {
    super();
    this.publisher = new Redis(url, { lazyConnect: true, enableOfflineQueue: false });
    this.subscriber = new Redis(url, { lazyConnect: true });
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    }
    this.subscriber.on('message', (_channel: string, text: string) =>
      this.local.receive(decodeForeignMessage(this.id, text)),
    );
    onReconnect(this.subscriber, () =>
      // Subscribed again (ioredis does it too; a second SUBSCRIBE is harmless) before anyone
      // reads the store, so that nothing falls between that read and the live messages.
      this.subscriber.subscribe(BUS_TOPIC).then(
        () => this.local.missed(),
        (error: Error) => this.logger.warn(`Redis: resubscribing failed: ${error.message}`),
      ),
    );
    onReconnect(this.publisher, () =>
      this.publisher
        .publish(BUS_TOPIC, encodeMissed(this.id))
        .catch((error: Error) => this.logger.warn(`Redis: ${error.message}`)),
    );
  }

  static async connect(url: string): Promise<RedisTaskEventBus> {
    const bus = new RedisTaskEventBus(url);
    await Promise.all([bus.publisher.connect(), bus.subscriber.connect()]);
    await bus.subscriber.subscribe(BUS_TOPIC);
    return bus;
  }

  async publish(events: readonly StoredEvent[]): Promise<void> {
    this.local.deliver(events);
    await this.publisher.publish(BUS_TOPIC, encodeEvents(this.id, events));
  }

  async ping(): Promise<void> {
    await this.publisher.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

/** Runs `then` each time the connection is ready again after the first time. */
function onReconnect(connection: Redis, then: () => unknown): void {
  let connections = 0;
  connection.on('ready', () => {
    if (++connections > 1) void then();
  });
}

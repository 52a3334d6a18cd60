import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { StoredEvent } from '../task-messages/stored-event';
import { BUS_TOPIC, decodeForeignEvents, encodeEvents, newBusId } from './bus-message';
import { LocalListeners } from './local-listeners';
import { type MissedListener, TaskEventBus, type TaskEventsListener } from './task-event-bus';

/**
 * Fan-out across instances through Redis pub/sub (ioredis: reconnects and resubscribes by
 * itself). Pub/sub drops what is published while the subscriber's connection is down: once it is
 * back and subscribed again, the listeners are told to look in the store (onMissed).
 */
export class RedisTaskEventBus extends TaskEventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisTaskEventBus.name);
  private readonly local = new LocalListeners();
  private readonly id = newBusId();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  private constructor(url: string) {
    super();
    this.publisher = new Redis(url, { lazyConnect: true });
    this.subscriber = new Redis(url, { lazyConnect: true });
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    }
    this.subscriber.on('message', (_channel: string, text: string) => {
      const events = decodeForeignEvents(this.id, text);
      if (events) this.local.deliver(events);
    });
    let connections = 0;
    this.subscriber.on('ready', () => {
      if (++connections === 1) return;
      // Subscribed again (ioredis does it too; a second SUBSCRIBE is harmless) before anyone
      // reads the store, so that nothing falls between that read and the live messages.
      this.subscriber.subscribe(BUS_TOPIC).then(
        () => this.local.missed(),
        (error: Error) => this.logger.warn(`Redis: resubscribing failed: ${error.message}`),
      );
    });
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

  subscribe(listener: TaskEventsListener): () => void {
    return this.local.add(listener);
  }

  onMissed(listener: MissedListener): () => void {
    return this.local.addMissed(listener);
  }

  async ping(): Promise<void> {
    await this.publisher.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

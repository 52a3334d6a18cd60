import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { StoredEvent } from '../task-messages/stored-event';
import { BUS_TOPIC, decodeForeignEvents, encodeEvents, newBusId } from './bus-message';
import { LocalListeners } from './local-listeners';
import { TaskEventBus, type TaskEventsListener } from './task-event-bus';

/**
 * Fan-out across instances through Redis pub/sub (ioredis: reconnects and resubscribes by
 * itself). Pub/sub may drop messages while a connection is down; streams then fill the gap from
 * the store on their next event, and a reconnecting browser resumes from the store anyway.
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

  async ping(): Promise<void> {
    await this.publisher.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

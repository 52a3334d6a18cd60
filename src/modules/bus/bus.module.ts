import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { InMemoryTaskEventBus } from './in-memory-task-event-bus';
import { NatsTaskEventBus } from './nats-task-event-bus';
import { RedisTaskEventBus } from './redis-task-event-bus';
import { TaskEventBus } from './task-event-bus';

export function openBus(config: AppConfig): Promise<TaskEventBus> | TaskEventBus {
  switch (config.BUS_DRIVER) {
    case 'memory':
      return new InMemoryTaskEventBus();
    case 'redis':
      return RedisTaskEventBus.connect(config.REDIS_URL as string);
    case 'nats':
      return NatsTaskEventBus.connect(config.NATS_URL as string);
  }
}

@Global()
@Module({
  providers: [{ provide: TaskEventBus, inject: [AppConfig], useFactory: openBus }],
  exports: [TaskEventBus],
})
export class BusModule {}

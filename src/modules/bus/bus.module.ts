import { Global, Module } from '@nestjs/common';
import { InMemoryTaskEventBus } from './in-memory-task-event-bus';
import { TaskEventBus } from './task-event-bus';

@Global()
@Module({
  providers: [{ provide: TaskEventBus, useClass: InMemoryTaskEventBus }],
  exports: [TaskEventBus],
})
export class BusModule {}

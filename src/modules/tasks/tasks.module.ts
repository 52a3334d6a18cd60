import { Module } from '@nestjs/common';
import { TaskMessagesModule } from '../task-messages/task-messages.module';
import { TaskDispatcher } from './dispatch/task-dispatcher';
import { WorkerClient } from './dispatch/worker-client';
import { EchoAgent } from './echo/echo-agent';
import { SqlTasksRepository } from './repositories/sql-tasks.repository';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Module({
  imports: [TaskMessagesModule],
  controllers: [TasksController],
  providers: [
    { provide: TasksRepository, useClass: SqlTasksRepository },
    TasksService,
    WorkerClient,
    EchoAgent,
    TaskDispatcher,
  ],
  exports: [TasksService],
})
export class TasksModule {}

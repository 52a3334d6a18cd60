import { Module } from '@nestjs/common';
import { CompactOnTerminalListener } from './listeners/compact-on-terminal.listener';
import { SqlTaskMessagesRepository } from './repositories/sql-task-messages.repository';
import { TaskMessagesPruner } from './task-messages.pruner';
import { TaskMessagesRepository } from './task-messages.repository';
import { TaskMessagesService } from './task-messages.service';

@Module({
  providers: [
    { provide: TaskMessagesRepository, useClass: SqlTaskMessagesRepository },
    TaskMessagesService,
    TaskMessagesPruner,
    CompactOnTerminalListener,
  ],
  exports: [TaskMessagesService, TaskMessagesPruner],
})
export class TaskMessagesModule {}

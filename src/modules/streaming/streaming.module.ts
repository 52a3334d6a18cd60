import { Module } from '@nestjs/common';
import { StreamTokensModule } from '../stream-tokens/stream-tokens.module';
import { TaskMessagesModule } from '../task-messages/task-messages.module';
import { TasksModule } from '../tasks/tasks.module';
import { StreamHub } from './stream-hub';
import { StreamingController } from './streaming.controller';
import { StreamingService } from './streaming.service';

@Module({
  imports: [TasksModule, TaskMessagesModule, StreamTokensModule],
  controllers: [StreamingController],
  providers: [StreamHub, StreamingService],
  exports: [StreamHub],
})
export class StreamingModule {}

import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainEvents, type TaskStatusChangedEvent } from '../../../common/events/domain-events';
import { TaskMessagesRepository } from '../task-messages.repository';

/**
 * Once a task has ended its artifacts are folded into the task row, so reading a finished task
 * costs one row however long its stream was, and pruning its log later loses nothing.
 */
@Injectable()
export class CompactOnTerminalListener {
  private readonly logger = new Logger(CompactOnTerminalListener.name);

  constructor(private readonly repository: TaskMessagesRepository) {}

  @OnEvent(DomainEvents.TaskStatusChanged, { async: true })
  async onStatusChanged(event: TaskStatusChangedEvent): Promise<void> {
    if (!event.terminal) return;
    try {
      await this.repository.compact(event.taskId);
    } catch (error) {
      this.logger.error({ err: error, taskId: event.taskId }, 'Compacting a finished task failed');
    }
  }
}

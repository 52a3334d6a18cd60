import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { Metrics } from '../metrics/metrics';
import { TaskMessagesRepository } from './task-messages.repository';

/**
 * Deletes expired task messages on `TASK_MESSAGE_PRUNE_CRON`, in batches, never the tasks
 * themselves. The schedule comes from config at start-up, hence a registered CronJob rather
 * than a static @Cron; a run still in progress makes the next tick a no-op.
 */
const JOB_NAME = 'task-messages-pruner';

@Injectable()
export class TaskMessagesPruner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TaskMessagesPruner.name);
  private running = false;

  constructor(
    private readonly repository: TaskMessagesRepository,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const job = CronJob.from({
      cronTime: this.config.TASK_MESSAGE_PRUNE_CRON,
      onTick: () => void this.runScheduled(),
      start: true,
    });
    this.scheduler.addCronJob(JOB_NAME, job);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('cron', JOB_NAME)) this.scheduler.deleteCronJob(JOB_NAME);
  }

  private async runScheduled(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const deleted = await this.pruneExpired();
      if (deleted > 0) this.logger.log(`Pruned ${deleted} expired task messages`);
    } catch (error) {
      this.logger.error({ err: error }, 'Pruning task messages failed');
    } finally {
      this.running = false;
    }
  }

  /** Deletes every message expired at `now`, batch by batch; returns how many. */
  async pruneExpired(now = this.clock.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const { locked, deleted } = await this.repository.pruneExpired(
        now,
        this.config.TASK_MESSAGE_PRUNE_BATCH,
      );
      total += deleted;
      this.metrics.prunedRows.inc(deleted);
      if (!locked || deleted === 0) return total;
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../../../config/app-config';
import { DomainEvents, type TaskMessagesStoredEvent } from '../../../common/events/domain-events';
import type { StoredEvent } from '../../task-messages/stored-event';
import { TaskMessagesService } from '../../task-messages/task-messages.service';
import { endsInteraction, streamResponseOf } from '../streaming/stream-event';
import { toV03StreamResult } from '../v03/v03-convert';
import type { PushConfigRecord } from './push-config';
import { PushConfigsRepository } from './push-configs.repository';
import { PushSender } from './push-sender';
import { PushTargetRefused } from './push-target-policy';

const PAGE_SIZE = 100;

/**
 * Delivers every status and artifact update of a task to each of its webhooks, in order, from
 * the event log: each config remembers the last event delivered, so a failed receiver is
 * retried with backoff, a config registered late catches up, and nothing depends on a client
 * being connected. Delivery is at least once (a receiver may see an event again after a
 * restart). One loop per config at a time; events stored meanwhile make it run again.
 */
@Injectable()
export class PushDelivery implements OnModuleDestroy {
  private readonly logger = new Logger(PushDelivery.name);
  private readonly running = new Set<string>();
  private readonly runAgain = new Set<string>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly repository: PushConfigsRepository,
    private readonly taskMessages: TaskMessagesService,
    private readonly sender: PushSender,
    private readonly config: AppConfig,
  ) {}

  @OnEvent(DomainEvents.TaskMessagesStored, { async: true })
  async onStored({ tasksWithPushConfigs }: TaskMessagesStoredEvent): Promise<void> {
    if (this.shutdown.signal.aborted || tasksWithPushConfigs.length === 0) return;
    try {
      for (const config of await this.repository.listByTasks(tasksWithPushConfigs))
        this.deliverPending(config);
    } catch (error) {
      this.logger.warn({ err: error }, 'Looking up push notification configs failed');
    }
  }

  /** Sends the config what it has not had yet; returns at once, never throws. */
  deliverPending(config: PushConfigRecord): void {
    if (this.shutdown.signal.aborted) return;
    const key = `${config.taskId}/${config.id}`;
    if (this.running.has(key)) {
      this.runAgain.add(key);
      return;
    }
    this.running.add(key);
    void this.drain(config).finally(() => {
      this.running.delete(key);
      // Updates stored while it ran may have come after its last read of the log.
      if (this.runAgain.delete(key)) this.deliverPending(config);
    });
  }

  /** Before the database closes: a retry waiting or a request in flight is abandoned. */
  onModuleDestroy(): void {
    this.shutdown.abort();
  }

  private async drain({ org, taskId, id }: PushConfigRecord): Promise<void> {
    try {
      // Read afresh: the config may have been replaced (new URL) or deleted meanwhile.
      const config = await this.repository.find(org, taskId, id);
      let through = config?.deliveredThrough ?? 0;
      while (config && !this.shutdown.signal.aborted) {
        const events = await this.taskMessages.readAfter(taskId, through, PAGE_SIZE);
        if (events.length === 0) return;
        for (const event of events) {
          await this.deliver(config, event);
          if (!(await this.repository.advance(org, taskId, id, event.id))) return;
          through = event.id;
        }
      }
    } catch (error) {
      if (!this.shutdown.signal.aborted)
        this.logger.warn(
          { err: error, taskId, configId: id },
          'Push delivery stopped; the next update resumes it',
        );
    }
  }

  /** One event to one webhook, retried with exponential backoff and jitter, then given up. */
  private async deliver(config: PushConfigRecord, event: StoredEvent): Promise<void> {
    const { body, contentType } = payloadOf(config, event);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (config.authentication)
      headers.authorization =
        `${config.authentication.scheme} ${config.authentication.credentials ?? ''}`.trim();
    if (config.token) headers['x-a2a-notification-token'] = config.token;
    const attempts = this.config.A2A_PUSH_MAX_ATTEMPTS;
    const context = { taskId: config.taskId, configId: config.id, eventId: event.id };
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      try {
        const status = await this.sender.post(config.url, body, headers, this.shutdown.signal);
        if (status >= 200 && status < 300) return;
        failure = `HTTP ${status}`;
      } catch (error) {
        if (this.shutdown.signal.aborted) throw error;
        if (error instanceof PushTargetRefused) {
          this.logger.warn({ ...context, reason: error.message }, 'Push notification refused');
          return;
        }
        failure = (error as Error).message;
      }
      if (attempt >= attempts) {
        this.logger.warn({ ...context, attempts, failure }, 'Push notification given up');
        return;
      }
      const backoff = this.config.A2A_PUSH_BACKOFF_MS * 2 ** (attempt - 1);
      await sleep(backoff / 2 + Math.random() * (backoff / 2), undefined, {
        signal: this.shutdown.signal,
      });
    }
  }
}

/** A 1.0 config gets the StreamResponse as stored; a 0.3 config the 0.3 event it would stream. */
function payloadOf(
  config: PushConfigRecord,
  event: StoredEvent,
): { body: string; contentType: string } {
  const body =
    config.version === '0.3'
      ? JSON.stringify(toV03StreamResult(streamResponseOf(event), endsInteraction(event)))
      : event.data;
  return { body, contentType: 'application/json' };
}

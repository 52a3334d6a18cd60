import { Injectable } from '@nestjs/common';
import {
  parseWebhookEvent,
  type ParsedWebhookEvent,
  type WebhookAck,
} from '../../../libs/contracts/src';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/errors/domain-error';
import { TaskMessagesService } from '../task-messages/task-messages.service';

export type EventResult =
  WebhookAck | { task_id: string; sequence: number; error: { code: string; message: string } };

/** Validates worker events and stores them through the event log; answers only after the commit. */
@Injectable()
export class WebhookService {
  constructor(
    private readonly taskMessages: TaskMessagesService,
    private readonly config: AppConfig,
  ) {}

  async ingestOne(body: unknown): Promise<WebhookAck> {
    const event = parseOrThrow(body);
    const outcome = await this.taskMessages.append({ kind: 'worker', event });
    if (!outcome.ok) throw outcome.error;
    return { task_id: event.taskId, sequence: event.sequence, status: outcome.status };
  }

  /**
   * All events of a batch are validated before any is stored. Each is then stored on its own
   * (one failing does not undo the others); if any failed, the answer is not a 2xx, so the
   * worker retries the batch and the stored ones come back as duplicates.
   */
  async ingestBatch(body: unknown): Promise<EventResult[]> {
    const list = (body as { events?: unknown } | null)?.events;
    if (typeof body !== 'object' || body === null || !Array.isArray(list)) {
      throw new DomainError('VALIDATION_FAILED', 'events: must be an array of events');
    }
    const unknownKeys = Object.keys(body).filter((k) => k !== 'events');
    if (unknownKeys.length > 0)
      throw new DomainError('VALIDATION_FAILED', `${unknownKeys[0]}: unknown field`);
    if (list.length === 0 || list.length > this.config.WEBHOOK_MAX_BATCH_EVENTS) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `events: must hold 1 to ${this.config.WEBHOOK_MAX_BATCH_EVENTS} events`,
      );
    }
    const events = list.map((item, i) => parseWebhookEvent(item, `events.${i}`));
    const errors = events.flatMap((r) => (r.ok ? [] : r.errors));
    if (errors.length > 0)
      throw new DomainError('VALIDATION_FAILED', errors.join('; '), { fields: errors });
    const parsed = events.map((r) => (r as { event: ParsedWebhookEvent }).event);
    const outcomes = await this.taskMessages.appendAll(
      parsed.map((event) => ({ kind: 'worker', event })),
    );
    const results: EventResult[] = outcomes.map((outcome, i) => {
      const { taskId, sequence } = parsed[i];
      return outcome.ok
        ? { task_id: taskId, sequence, status: outcome.status }
        : {
            task_id: taskId,
            sequence,
            error: { code: outcome.error.code, message: outcome.error.message },
          };
    });
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) {
      throw new DomainError(
        failed.error.code,
        `${outcomes.filter((o) => !o.ok).length} of ${outcomes.length} events were not stored`,
        {
          results,
        },
      );
    }
    return results;
  }
}

function parseOrThrow(body: unknown): ParsedWebhookEvent {
  const result = parseWebhookEvent(body);
  if (!result.ok)
    throw new DomainError('VALIDATION_FAILED', result.errors.join('; '), { fields: result.errors });
  return result.event;
}

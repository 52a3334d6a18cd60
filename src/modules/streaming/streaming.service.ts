import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isTerminalState, type StreamResponse } from '../../../libs/contracts/src';
import { isStorageUnavailable } from '../../common/database/storage-unavailable';
import { taskNotFound } from '../../common/errors/domain-error';
import type { TaskScope } from '../../common/http/agent-scope.decorator';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { StreamAccess } from '../stream-tokens/stream-access.guard';
import type { ReplayPosition } from '../task-messages/task-messages.repository';
import { TaskMessagesService } from '../task-messages/task-messages.service';
import { TasksService } from '../tasks/tasks.service';
import { StreamHub } from './stream-hub';
import { StreamSubscriber } from './stream-subscriber';
import { SSE_MAX_BUFFERED_BYTES, startEventStream } from './sse-response';

export interface PolledEvents {
  events: { id: number; event: string; data: StreamResponse }[];
  task: unknown;
  /** Events after `after` were pruned: `task` is the state to start from. */
  missed: boolean;
}

@Injectable()
export class StreamingService {
  private readonly logger = new Logger(StreamingService.name);

  constructor(
    private readonly hub: StreamHub,
    private readonly tasks: TasksService,
    private readonly taskMessages: TaskMessagesService,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Opens the SSE stream of a task after `lastId`. Everything that can fail is checked before
   * the 200 goes out; a client already holding the terminal event gets 204, the one answer
   * that stops a browser's EventSource from reconnecting.
   */
  async open(access: StreamAccess, lastId: number, reply: FastifyReply): Promise<void> {
    const scope = { org: access.org, agent: access.agent };
    let position: ReplayPosition;
    try {
      position = await this.positionInScope(scope, access.taskId);
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      // Any status but 200 would stop a browser's EventSource for good: an empty stream that
      // only says when to come back keeps it reconnecting, with its Last-Event-ID, until the
      // database answers. It holds no event, so it tells an unchecked client nothing.
      this.logger.warn(
        { err: error, taskId: access.taskId },
        'Database unavailable: stream deferred',
      );
      startEventStream(reply).end(`retry: ${this.config.SSE_RETRY_MS}\n\n`);
      return;
    }
    if (position.terminal && lastId >= position.lastEventId) return void reply.status(204).send();

    const response = startEventStream(reply);
    response.write(`retry: ${this.config.SSE_RETRY_MS}\n\n`);

    const subscriber = new StreamSubscriber({
      taskId: access.taskId,
      lastId,
      response,
      maxBufferedBytes: SSE_MAX_BUFFERED_BYTES,
      onDelivered: (event) => {
        this.metrics.eventsDelivered.inc();
        if (event.storedAt !== undefined)
          this.metrics.ingestToDelivery.observe((Date.now() - event.storedAt) / 1000);
      },
    });
    const needsSnapshot = lastId < position.prunedThrough;
    this.hub.attach(
      subscriber,
      needsSnapshot ? () => this.sendSnapshot(subscriber, scope) : undefined,
    );
  }

  /** History the client lacks was pruned: it gets the whole Task first and resumes after it. */
  private async sendSnapshot(
    subscriber: StreamSubscriber,
    scope: { org: string; agent: string },
  ): Promise<void> {
    const { task, lastEventId } = await this.tasks.snapshot(scope, subscriber.taskId);
    subscriber.lastId = lastEventId;
    subscriber.write(`id: ${lastEventId}\nevent: task\ndata: ${JSON.stringify({ task })}\n\n`);
    if (isTerminalState(task.status.state)) subscriber.end();
  }

  async poll(access: StreamAccess, after: number, limit: number): Promise<PolledEvents> {
    const scope = { org: access.org, agent: access.agent };
    const position = await this.positionInScope(scope, access.taskId);
    const stored = await this.taskMessages.readAfter(access.taskId, after, limit);
    const { task } = await this.tasks.snapshot(scope, access.taskId);
    return {
      events: stored.map((e) => ({
        id: e.id,
        event: e.event,
        data: JSON.parse(e.data) as StreamResponse,
      })),
      task,
      missed: after < position.prunedThrough,
    };
  }

  /** One read of the task row checks the scope and tells where replay stands; else 404. */
  private async positionInScope(scope: TaskScope, taskId: string): Promise<ReplayPosition> {
    const position = await this.taskMessages.position(scope, taskId);
    if (!position) throw taskNotFound(taskId);
    return position;
  }
}

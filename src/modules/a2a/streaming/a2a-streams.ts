import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isTerminalState, type StreamResponse, type Task } from '../../../../libs/contracts/src';
import { Metrics } from '../../metrics/metrics';
import { StreamHub } from '../../streaming/stream-hub';
import { StreamSubscriber } from '../../streaming/stream-subscriber';
import type { StoredEvent } from '../../task-messages/stored-event';
import { type TaskScope, TasksService } from '../../tasks/tasks.service';
import { endsInteraction, streamResponseOf } from './stream-event';
import { SSE_MAX_BUFFERED_BYTES, startEventStream } from '../../streaming/sse-response';

/** One item of an A2A stream, for a binding to put in its envelope. */
export interface A2aStreamItem {
  /** The StreamResponse as stored: 1.0 envelopes embed it without parsing it again. */
  json: string;
  /** The parsed StreamResponse, for envelopes that translate it (0.3). */
  response: () => StreamResponse;
  /** The stream ends after this item. */
  final: boolean;
}

/** The `data:` payload of one stream item in a binding's envelope. */
export type A2aFrameData = (item: A2aStreamItem) => string;

export interface A2aStreamPlan {
  scope: TaskScope;
  taskId: string;
  /** The Task to start with when the caller already has it (a new task after its event 1). */
  start?: { task: Task; lastEventId: number };
}

/**
 * Opens an A2A stream of one task: the Task first, then its status and artifact updates from
 * the event log through the same hub as the gateway's own SSE streams, each in the binding's
 * envelope. The stream closes after the update that ends the task or asks for input.
 */
@Injectable()
export class A2aStreams {
  constructor(
    private readonly hub: StreamHub,
    private readonly tasks: TasksService,
    private readonly metrics: Metrics,
  ) {}

  open(reply: FastifyReply, plan: A2aStreamPlan, data: A2aFrameData): void {
    const response = startEventStream(reply);

    const frame = (id: number, body: string): string => `id: ${id}\ndata: ${body}\n\n`;
    const subscriber = new StreamSubscriber({
      taskId: plan.taskId,
      lastId: 0,
      response,
      maxBufferedBytes: SSE_MAX_BUFFERED_BYTES,
      onDelivered: () => this.metrics.eventsDelivered.inc(),
      frame: (event: StoredEvent) =>
        frame(
          event.id,
          data({
            json: event.data,
            response: () => streamResponseOf(event),
            final: endsInteraction(event),
          }),
        ),
      isLast: endsInteraction,
    });
    const sendTask = (task: Task, lastEventId: number): void => {
      subscriber.lastId = lastEventId;
      const ended = isTerminalState(task.status.state);
      const json = JSON.stringify({ task });
      subscriber.write(
        frame(lastEventId, data({ json, response: () => ({ task }), final: ended })),
      );
      if (ended) subscriber.end();
    };

    if (plan.start) {
      sendTask(plan.start.task, plan.start.lastEventId);
      if (!subscriber.closed) this.hub.attach(subscriber);
      return;
    }
    // Attached before the snapshot is read, so that nothing stored in between is missed.
    this.hub.attach(subscriber, async () => {
      const { task, lastEventId } = await this.tasks.snapshot(plan.scope, plan.taskId);
      sendTask(task, lastEventId);
    });
  }
}

import { Controller, Get, Headers, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { StreamAccessGuard, type StreamRequest } from '../stream-tokens/stream-access.guard';
import { MessagesQuery, StreamQuery } from './dto/stream.query';
import { type PolledEvents, StreamingService } from './streaming.service';

@Controller('agent-to-agent/:org/:agent/tasks/:taskId')
@UseGuards(StreamAccessGuard)
export class StreamingController {
  constructor(private readonly streaming: StreamingService) {}

  @Get('stream')
  stream(
    @Req() request: StreamRequest,
    @Res() reply: FastifyReply,
    @Query() query: StreamQuery,
    @Headers('last-event-id') lastEventIdHeader?: string,
  ): Promise<void> {
    return this.streaming.open(
      request.streamAccess,
      parseLastEventId(lastEventIdHeader, query.lastEventId),
      reply,
    );
  }

  @Get('messages')
  messages(@Req() request: StreamRequest, @Query() query: MessagesQuery): Promise<PolledEvents> {
    return this.streaming.poll(request.streamAccess, query.after, query.limit);
  }
}

/** The header wins over the query parameter; both must be a non-negative integer. */
function parseLastEventId(header: string | undefined, query: number | undefined): number {
  if (header === undefined || header === '') return query ?? 0;
  if (!/^\d{1,10}$/.test(header.trim())) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Last-Event-ID: must be an event id (a non-negative integer)',
    );
  }
  return Number(header.trim());
}

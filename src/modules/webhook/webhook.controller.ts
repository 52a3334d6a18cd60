import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { WebhookAck } from '../../../libs/contracts/src';
import { WEBHOOK_BATCH, WEBHOOK_PREFIX, WEBHOOK_STREAM } from './webhook-routes';
import { WebhookSignatureGuard } from './webhook-signature.guard';
import { type EventResult, WebhookService } from './webhook.service';

/**
 * Workers call these from servers, never from a browser: no CORS headers. @fastify/cors would
 * otherwise merge its options for every request, about 6 % of a single-event request's time. It
 * skips that only from 11.4 on, which checks the route first: package.json's overrides give Nest
 * that version instead of its own 11.3.
 */
const SERVER_TO_SERVER = { cors: false };

/**
 * The handlers take the parsed body from the request, not through `@Body()`: the events are not
 * DTOs (`parseWebhookEvent` checks them and names each bad field), and `@Body()` would run every
 * request through the global pipes for nothing, an async step that cost about 4 % of the
 * single-event rate (docs/benchmarks-history.md, session 18).
 */
@Controller(WEBHOOK_PREFIX)
@UseGuards(WebhookSignatureGuard)
export class WebhookController {
  constructor(private readonly webhook: WebhookService) {}

  @Post(WEBHOOK_STREAM)
  @HttpCode(200)
  @RouteConfig(SERVER_TO_SERVER)
  stream(@Req() request: FastifyRequest): Promise<WebhookAck> {
    return this.webhook.ingestOne(request.body);
  }

  @Post(WEBHOOK_BATCH)
  @HttpCode(200)
  @RouteConfig(SERVER_TO_SERVER)
  async batch(@Req() request: FastifyRequest): Promise<{ results: EventResult[] }> {
    return { results: await this.webhook.ingestBatch(request.body) };
  }
}

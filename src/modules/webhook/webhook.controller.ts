import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { WebhookAck } from '../../../libs/contracts/src';
import { Metrics } from '../metrics/metrics';
import { WebhookSignatureGuard } from './webhook-signature.guard';
import { type EventResult, WebhookService } from './webhook.service';

@Controller('internal/webhook')
@UseGuards(WebhookSignatureGuard)
export class WebhookController {
  constructor(
    private readonly webhook: WebhookService,
    private readonly metrics: Metrics,
  ) {}

  @Post('stream')
  @HttpCode(200)
  async stream(@Body() body: unknown): Promise<WebhookAck> {
    const end = this.metrics.webhookDuration.startTimer();
    try {
      return await this.webhook.ingestOne(body);
    } finally {
      end();
    }
  }

  @Post('stream/batch')
  @HttpCode(200)
  async batch(@Body() body: unknown): Promise<{ results: EventResult[] }> {
    const end = this.metrics.webhookDuration.startTimer();
    try {
      return { results: await this.webhook.ingestBatch(body) };
    } finally {
      end();
    }
  }
}

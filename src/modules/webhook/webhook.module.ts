import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Metrics } from '../metrics/metrics';
import { TaskMessagesModule } from '../task-messages/task-messages.module';
import { observeWebhookDurations } from './webhook-duration';
import { WebhookSignatureGuard } from './webhook-signature.guard';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

@Module({
  imports: [TaskMessagesModule],
  controllers: [WebhookController],
  providers: [WebhookService, WebhookSignatureGuard],
})
export class WebhookModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    observeWebhookDurations(
      this.adapterHost.httpAdapter.getInstance<FastifyInstance>(),
      this.metrics,
    );
  }
}

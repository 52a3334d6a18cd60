import { Module } from '@nestjs/common';
import { TaskMessagesModule } from '../task-messages/task-messages.module';
import { WebhookSignatureGuard } from './webhook-signature.guard';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

@Module({
  imports: [TaskMessagesModule],
  controllers: [WebhookController],
  providers: [WebhookService, WebhookSignatureGuard],
})
export class WebhookModule {}

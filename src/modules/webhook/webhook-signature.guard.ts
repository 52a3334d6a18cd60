import { createSecretKey, type KeyObject } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '../../../libs/contracts/src';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';

/**
 * Workers sign `timestamp + "." + raw body` with a WEBHOOK_SECRET; checked on the raw bytes
 * before anything parses them, in constant time, against every secret (rotation). A timestamp
 * outside the replay window is refused even when the signature is right.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  /** Made once: every webhook request is checked against each of them. */
  private readonly secrets: KeyObject[];

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.secrets = config.webhookSecrets.map((secret) => createSecretKey(Buffer.from(secret)));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { rawBody?: Buffer }>();
    const timestamp = request.headers[WEBHOOK_TIMESTAMP_HEADER];
    const signature = request.headers[WEBHOOK_SIGNATURE_HEADER];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') {
      throw new DomainError(
        'INVALID_SIGNATURE',
        'X-Webhook-Timestamp and X-Webhook-Signature headers are required',
      );
    }
    const sentAt = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : NaN;
    const skew = Math.abs(this.clock.now().getTime() - sentAt);
    if (!(skew <= this.config.WEBHOOK_REPLAY_WINDOW_SECONDS * 1000)) {
      throw new DomainError(
        'STALE_TIMESTAMP',
        'X-Webhook-Timestamp is outside the replay window (unix milliseconds expected)',
      );
    }
    const body = request.rawBody ?? Buffer.alloc(0);
    if (!verifyWebhookSignature(this.secrets, timestamp, body, signature)) {
      throw new DomainError('INVALID_SIGNATURE', 'X-Webhook-Signature does not match the body');
    }
    return true;
  }
}

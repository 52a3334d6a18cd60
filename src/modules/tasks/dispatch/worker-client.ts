import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { signWebhook } from '../../../../libs/contracts/src';
import { AppConfig } from '../../../config/app-config';

export class DispatchFailed extends Error {}

/**
 * Signed POSTs to workers (the same HMAC scheme workers use towards the webhook), retried with
 * exponential backoff and jitter on anything but a 2xx. Gives up after DISPATCH_MAX_ATTEMPTS.
 */
@Injectable()
export class WorkerClient {
  constructor(private readonly config: AppConfig) {}

  async post(
    endpoint: string,
    body: unknown,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<void> {
    const raw = JSON.stringify(body);
    const attempts = this.config.DISPATCH_MAX_ATTEMPTS;
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const timestamp = Date.now().toString();
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          body: raw,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'x-webhook-timestamp': timestamp,
            'x-webhook-signature': signWebhook(this.config.webhookSecrets[0], timestamp, raw),
          },
          signal: AbortSignal.any([
            AbortSignal.timeout(this.config.DISPATCH_TIMEOUT_MS),
            ...(signal ? [signal] : []),
          ]),
        });
        await response.body?.cancel();
        if (response.ok) return;
        lastError = `HTTP ${response.status}`;
      } catch (error) {
        if (signal?.aborted) throw error;
        lastError =
          (error as Error).cause instanceof Error
            ? ((error as Error).cause as Error).message
            : (error as Error).message;
      }
      if (attempt < attempts) {
        const backoff = this.config.DISPATCH_BACKOFF_MS * 2 ** (attempt - 1);
        await sleep(backoff / 2 + Math.random() * (backoff / 2), undefined, { signal });
      }
    }
    throw new DispatchFailed(`${attempts} attempts, last: ${lastError}`);
  }
}

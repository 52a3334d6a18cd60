import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { signWebhook } from '../../../../libs/contracts/src';
import { AppConfig } from '../../../config/app-config';

export class DispatchFailed extends Error {}

/** undici's codes for a connect, an answer's headers or a pause in its body that took too long. */
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Signed POSTs to workers (the same HMAC scheme workers use towards the webhook), retried with
 * exponential backoff and jitter on anything but a 2xx. Gives up after DISPATCH_MAX_ATTEMPTS.
 *
 * undici's `request` on a keep-alive pool rather than the global fetch: fetch builds web streams,
 * an AbortSignal pair and their listeners for every POST, and with it a task's hand-over took more
 * of the gateway's CPU than the rest of its creation (tasks created per second: the bench's setup
 * line). DISPATCH_TIMEOUT_MS bounds each stage of an attempt: connecting, waiting for the answer's
 * headers, and each pause in its body.
 */
@Injectable()
export class WorkerClient implements OnApplicationShutdown {
  private readonly pool: Agent;

  constructor(private readonly config: AppConfig) {
    const timeout = config.DISPATCH_TIMEOUT_MS;
    this.pool = new Agent({
      connect: { timeout },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

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
        const response = await request(endpoint, {
          dispatcher: this.pool,
          method: 'POST',
          body: raw,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'x-webhook-timestamp': timestamp,
            'x-webhook-signature': signWebhook(this.config.webhookSecrets[0], timestamp, raw),
          },
          signal,
        });
        // The worker's answer body is of no interest; reading it frees the connection for reuse.
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return;
        lastError = `HTTP ${response.statusCode}`;
      } catch (error) {
        if (signal?.aborted) throw error;
        lastError = this.describe(error);
      }
      if (attempt < attempts) {
        const backoff = this.config.DISPATCH_BACKOFF_MS * 2 ** (attempt - 1);
        await sleep(backoff / 2 + Math.random() * (backoff / 2), undefined, { signal });
      }
    }
    throw new DispatchFailed(`${attempts} attempts, last: ${lastError}`);
  }

  private describe(error: unknown): string {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== undefined && TIMEOUT_CODES.has(code))
      return `no answer within ${this.config.DISPATCH_TIMEOUT_MS} ms`;
    return message ?? String(error);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { hostOf, PushTargetPolicy, PushTargetRefused } from './push-target-policy';

/**
 * POSTs one notification to a webhook. node:http rather than fetch, because only it lets the
 * gateway check the address it actually connects to (PushTargetPolicy.lookup).
 */
@Injectable()
export class PushSender {
  constructor(
    private readonly policy: PushTargetPolicy,
    private readonly config: AppConfig,
  ) {}

  /** Resolves with the HTTP status; rejects on a refused target, a network error or a timeout. */
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<number> {
    const target = new URL(url);
    const host = hostOf(target);
    // A literal address is never looked up, so the lookup guard would not see it.
    const refusal = isIP(host) ? this.policy.refusal(host, [host]) : undefined;
    if (refusal) return Promise.reject(new PushTargetRefused(refusal));
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          lookup: this.policy.lookup,
          timeout: this.config.A2A_PUSH_TIMEOUT_MS,
          signal,
        },
        (response) => {
          // The receiver's answer body is of no interest; drain it so the socket is freed.
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
          response.once('error', reject);
        },
      );
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  }
}

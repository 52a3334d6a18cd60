import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';

// One signing rule for both directions (worker → webhook, gateway → worker dispatch):
// HMAC-SHA256 over `${timestamp}.${rawBody}`, sent as `sha256=<hex>`.

/** `secret` may be a KeyObject made once: the HMAC then skips preparing the key each time. */
export function signWebhook(
  secret: string | KeyObject,
  timestamp: string,
  rawBody: string | Buffer,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(timestamp);
  hmac.update('.');
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/** Constant-time check against each accepted secret (several during a key rotation). */
export function verifyWebhookSignature(
  secrets: readonly (string | KeyObject)[],
  timestamp: string,
  rawBody: Buffer,
  signature: string,
): boolean {
  const given = Buffer.from(signature);
  return secrets.some((secret) => {
    const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

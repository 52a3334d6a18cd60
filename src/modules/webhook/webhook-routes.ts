/** Where workers post their events: WebhookController's routes, and what the duration hook times. */
export const WEBHOOK_PREFIX = 'internal/webhook';
export const WEBHOOK_STREAM = 'stream';
export const WEBHOOK_BATCH = 'stream/batch';

/** The same routes as Fastify names them (`request.routeOptions.url`). */
export const WEBHOOK_URLS: ReadonlySet<string> = new Set(
  [WEBHOOK_STREAM, WEBHOOK_BATCH].map((path) => `/${WEBHOOK_PREFIX}/${path}`),
);

import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/metrics';
import { WEBHOOK_URLS } from './webhook-routes';

/**
 * Times each acknowledged webhook request from the moment Fastify took it in (before its body is
 * read and its signature checked) to the answer: what a worker waits for. A Fastify hook rather
 * than a timer in the handler, which would leave out the body, the guard and Nest's route (a body
 * slow to arrive, too). Refusals are not acknowledgements and are not timed.
 */
export function observeWebhookDurations(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode < 300 && WEBHOOK_URLS.has(request.routeOptions.url ?? '')) {
      metrics.webhookDuration.observe(reply.elapsedTime / 1000);
    }
    done();
  });
}

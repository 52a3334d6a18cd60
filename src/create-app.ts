import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import { AppModule, type AppOptions } from './app.module';
import { AppLogger } from './common/logging/app-logger';
import { PINO_LOGGER } from './common/logging/logger.module';
import { logRequests } from './common/logging/request-logging';
import { createValidationPipe } from './common/validation/validation.pipe';
import type { AppConfig } from './config/app-config';

/**
 * The gateway as an app, ready to listen: used by main.ts and by every e2e test, so tests run
 * exactly what ships. Fastify for its lower per-request cost on the webhook hot path.
 */
export async function createApp(
  config: AppConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.WEBHOOK_MAX_BODY_BYTES,
    // Streams are long-lived by design; idle keep-alive sockets are still closed on shutdown.
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    adapter,
    {
      rawBody: true,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(AppLogger));
  logRequests(app.getHttpAdapter().getInstance(), app.get<symbol, PinoLogger>(PINO_LOGGER));
  app.useGlobalPipes(createValidationPipe());
  const origins = config.corsOrigins;
  app.enableCors({
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: [
      'last-event-id',
      'cache-control',
      'authorization',
      'content-type',
      'a2a-version',
    ],
    exposedHeaders: ['retry-after'],
  });
  return app;
}

/**
 * Starts listening. The accept backlog is raised from Node's 511 to the kernel's usual somaxconn:
 * when thousands of browsers reconnect at once (a deploy, a network blip), connections beyond
 * the backlog have their SYNs dropped and retry a second or more later.
 */
export async function listen(
  app: NestFastifyApplication,
  port: number,
  host: string,
): Promise<void> {
  await app.listen({ port, host, backlog: 4096 });
}

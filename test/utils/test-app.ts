import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppOptions } from '../../src/app.module';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { createApp, listen } from '../../src/create-app';
import { pgliteSeed } from './pglite-seed';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef';
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdef';

/** Configuration for a test app: in-memory PGlite from the run's seed, fast echo, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PGLITE_DATA_DIR: 'memory://',
    PGLITE_SEED_TARBALL: pgliteSeed(),
    JWT_SECRET: TEST_JWT_SECRET,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ECHO_DELAY_MS: '2',
    DISPATCH_BACKOFF_MS: '10',
    DISPATCH_MAX_ATTEMPTS: '3',
    ...overrides,
  });
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** `http://127.0.0.1:<port>` of the listening server. */
  baseUrl: string;
  close(): Promise<void>;
}

/** The whole gateway on a real listening socket (port 0), as main.ts builds it. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await createApp(config, options);
  await listen(app, 0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  return { app, config, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

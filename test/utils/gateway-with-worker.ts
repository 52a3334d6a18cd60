import type { AppOptions } from '../../src/app.module';
import { startTestApp, type TestApp } from './test-app';
import { startTestWorker, type TestWorker } from './test-worker';

export interface GatewayWithWorker {
  gateway: TestApp;
  worker: TestWorker;
}

/**
 * For a describe block: a listening gateway whose AGENTS_FILE declares acme/writer, served by a
 * real test worker; both started before the tests and closed after them.
 */
export function useGatewayWithWorker(
  overrides: Record<string, string> = {},
  options: AppOptions = {},
): GatewayWithWorker {
  const context = {} as GatewayWithWorker;
  beforeAll(async () => {
    context.worker = await startTestWorker();
    context.gateway = await startTestApp(
      { AGENTS_FILE: context.worker.agentsFile, ...overrides },
      options,
    );
  });
  afterAll(async () => {
    await context.gateway?.close();
    await context.worker?.close();
  });
  return context;
}

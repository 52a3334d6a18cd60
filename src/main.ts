import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from './config/app-config';
import { createApp, listen } from './create-app';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  await listen(app, config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

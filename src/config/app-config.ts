import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationMessages } from '../common/validation/describe-validation-errors';
import { EnvironmentVariables } from './environment-variables';

const DEV_SECRETS = {
  JWT_SECRET: 'dev-only-jwt-secret-not-for-production',
  WEBHOOK_SECRET: 'dev-only-webhook-secret-not-for-production',
} as const;

export class ConfigError extends Error {}

/** The validated configuration with secrets resolved; injected wherever a setting is needed. */
export class AppConfig extends EnvironmentVariables {
  declare JWT_SECRET: string;
  declare WEBHOOK_SECRET: string;
  declare STREAM_TOKEN_SECRET: string;

  get webhookSecrets(): string[] {
    return this.WEBHOOK_SECRET.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

/**
 * Reads and validates the environment once. A bad value throws a ConfigError naming the key;
 * in development missing secrets get fixed dev values, announced in the log.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = validationMessages(errors);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  for (const key of Object.keys(DEV_SECRETS) as (keyof typeof DEV_SECRETS)[]) {
    if (config[key]) continue;
    if (config.isProduction) throw new ConfigError(`${key} is required when NODE_ENV=production`);
    config[key] = DEV_SECRETS[key];
    new Logger('Config').warn(
      `${key} is not set: using a fixed development value (never use it in production)`,
    );
  }
  if (config.STORAGE_DRIVER === 'postgres' && !config.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL is required when STORAGE_DRIVER=postgres');
  }
  if (config.BUS_DRIVER === 'redis' && !config.REDIS_URL)
    throw new ConfigError('REDIS_URL is required when BUS_DRIVER=redis');
  if (config.BUS_DRIVER === 'nats' && !config.NATS_URL)
    throw new ConfigError('NATS_URL is required when BUS_DRIVER=nats');
  // Derived, so a deployment with only JWT_SECRET still keeps user and stream tokens apart.
  config.STREAM_TOKEN_SECRET ??= createHmac('sha256', config.JWT_SECRET)
    .update('stream-tokens')
    .digest('hex');
  return config;
}

import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('fills every default and derives the stream token secret from JWT_SECRET', () => {
    const config = loadConfig({
      JWT_SECRET: 'a-secret-of-sixteen+',
      WEBHOOK_SECRET: 'k1-0123456789abcdef, k2-0123456789abcdef',
      LOG_LEVEL: 'silent',
    });
    expect(config.PORT).toBe(3000);
    expect(config.STORAGE_DRIVER).toBe('pglite');
    expect(config.STREAM_TOKEN_TTL_SECONDS).toBe(300);
    expect(config.TASK_MESSAGE_TTL_MINUTES).toBe(60);
    expect(config.SSE_KEEPALIVE_MS).toBe(15000);
    expect(config.webhookSecrets).toEqual(['k1-0123456789abcdef', 'k2-0123456789abcdef']);
    expect(config.STREAM_TOKEN_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(config.STREAM_TOKEN_SECRET).not.toBe(config.JWT_SECRET);
  });

  it('stops start-up with a message naming the bad key', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: PORT must be an integer number/);
    expect(() => loadConfig({ STREAM_TOKEN_TTL_SECONDS: '601' })).toThrow(
      /STREAM_TOKEN_TTL_SECONDS: STREAM_TOKEN_TTL_SECONDS must not be greater than 600/,
    );
    expect(() => loadConfig({ STORAGE_DRIVER: 'sqlite' })).toThrow(/STORAGE_DRIVER/);
    expect(() => loadConfig({ STORAGE_DRIVER: 'postgres' })).toThrow(
      new ConfigError('DATABASE_URL is required when STORAGE_DRIVER=postgres'),
    );
  });

  it('requires the secrets in production and gives development fixed ones', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET: 'w-0123456789abcdef' }),
    ).toThrow('JWT_SECRET is required when NODE_ENV=production');
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'j-0123456789abcdef' })).toThrow(
      'WEBHOOK_SECRET is required when NODE_ENV=production',
    );
    const dev = loadConfig({});
    expect(dev.JWT_SECRET).toBe('dev-only-jwt-secret-not-for-production');
    expect(dev.WEBHOOK_SECRET).toBe('dev-only-webhook-secret-not-for-production');
  });
});

import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** An integer key: the string read as a number, then checked to lie between `min` and `max`. */
function IntegerKey({ min, max }: { min: number; max?: number }): PropertyDecorator {
  // In the order a stack of @Transform @IsInt @Min @Max applies them (bottom first), so the
  // messages of a bad value keep their order.
  const decorators = [
    ...(max === undefined ? [] : [Max(max)]),
    Min(min),
    IsInt(),
    Transform(toInt),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/**
 * Every configuration key the gateway reads, with its default. Nothing else reads process.env.
 * Names are part of the public contract (shared/API.md); `.env.example` mirrors this class.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IntegerKey({ min: 0, max: 65535 })
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Public base URL used in links the gateway hands out (stream URLs, agent cards). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(16)
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MinLength(16)
  STREAM_TOKEN_SECRET?: string;

  @IntegerKey({ min: 10, max: 600 })
  STREAM_TOKEN_TTL_SECONDS = 300;

  /** Stream tokens one user may mint for one task per minute. */
  @IntegerKey({ min: 1 })
  STREAM_TOKEN_RATE_LIMIT = 30;

  /** Comma-separated; the first signs outgoing dispatches, all are accepted on the webhook. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  WEBHOOK_SECRET?: string;

  @IntegerKey({ min: 1 })
  WEBHOOK_REPLAY_WINDOW_SECONDS = 300;

  @IntegerKey({ min: 1024 })
  WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

  /** Events accepted in one batch request. */
  @IntegerKey({ min: 1, max: 10000 })
  WEBHOOK_MAX_BATCH_EVENTS = 1000;

  /** How long an event that arrived ahead of a missing sequence waits for it. */
  @IntegerKey({ min: 0, max: 60000 })
  WEBHOOK_REORDER_WINDOW_MS = 2000;

  @IsIn(['pglite', 'postgres'])
  STORAGE_DRIVER: 'pglite' | 'postgres' = 'pglite';

  @IsString()
  PGLITE_DATA_DIR = './.data/pglite';

  /**
   * A tarball of a PGlite data directory (PGlite's `dumpDataDir()`) that a new database starts
   * from instead of running initdb, which takes seconds; the tests start every database from one.
   */
  @IsOptional()
  @IsString()
  PGLITE_SEED_TARBALL?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IntegerKey({ min: 1, max: 200 })
  DATABASE_POOL_SIZE = 10;

  @IsIn(['memory', 'redis', 'nats'])
  BUS_DRIVER: 'memory' | 'redis' | 'nats' = 'memory';

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^(nats|tls):\/\//, { message: 'NATS_URL must be a nats:// URL' })
  NATS_URL?: string;

  @IntegerKey({ min: 1 })
  TASK_MESSAGE_TTL_MINUTES = 60;

  @IsString()
  TASK_MESSAGE_PRUNE_CRON = '0 */15 * * * *';

  /** Log rows (blocks of events) one pruner statement deletes, so a backlog never holds long locks. */
  @IntegerKey({ min: 1 })
  TASK_MESSAGE_PRUNE_BATCH = 5000;

  @IntegerKey({ min: 100 })
  SSE_KEEPALIVE_MS = 15000;

  /** The `retry:` hint sent at the start of each stream. */
  @IntegerKey({ min: 0 })
  SSE_RETRY_MS = 2000;

  /** Streams are closed after this long so clients reconnect (and re-check their token); 0 = never. */
  @IntegerKey({ min: 0 })
  SSE_MAX_AGE_MS = 0;

  @IsString()
  CORS_ORIGINS = '*';

  @IsOptional()
  @IsString()
  AGENTS_FILE?: string;

  @IntegerKey({ min: 0 })
  ECHO_DELAY_MS = 50;

  @IntegerKey({ min: 1, max: 20 })
  DISPATCH_MAX_ATTEMPTS = 5;

  @IntegerKey({ min: 1 })
  DISPATCH_BACKOFF_MS = 250;

  @IntegerKey({ min: 100 })
  DISPATCH_TIMEOUT_MS = 10000;

  /** Events written in one group-commit transaction at most. */
  @IntegerKey({ min: 1, max: 10000 })
  INGEST_MAX_BATCH = 1000;

  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string;

  /** How long a blocking A2A SendMessage waits for the task to end or ask for input. */
  @IntegerKey({ min: 0, max: 600000 })
  A2A_SEND_MESSAGE_WAIT_MS = 60000;

  /** `Cache-Control: max-age` of the agent cards. */
  @IntegerKey({ min: 0 })
  A2A_CARD_MAX_AGE_SECONDS = 300;

  /**
   * Comma-separated host names, IP addresses or CIDR ranges that push notifications may target
   * although they are loopback or private (which are refused otherwise).
   */
  @IsString()
  A2A_PUSH_ALLOWED_HOSTS = '';

  /** Attempts to deliver one push notification before it is given up. */
  @IntegerKey({ min: 1, max: 20 })
  A2A_PUSH_MAX_ATTEMPTS = 5;

  /** First retry delay of a push notification; it doubles with each attempt (with jitter). */
  @IntegerKey({ min: 1 })
  A2A_PUSH_BACKOFF_MS = 500;

  @IntegerKey({ min: 100 })
  A2A_PUSH_TIMEOUT_MS = 10000;
}

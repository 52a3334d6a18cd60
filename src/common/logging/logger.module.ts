import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { AppLogger } from './app-logger';
import { redactUrl } from './redact';

/** The process's pino logger, for code that logs outside Nest's Logger (request logging). */
export const PINO_LOGGER = Symbol('PINO_LOGGER');

/**
 * JSON logs through pino. Requests are logged by a Fastify hook (see request-logging.ts), not by
 * a middleware: no child logger and no AsyncLocalStorage per request (an AsyncLocalStorage in use
 * turns on promise hooks for every promise in the process). Anything shaped like a request is
 * serialised as method, redacted URL and status only, so a token cannot leak by accident.
 */
@Global()
@Module({})
export class LoggerModule {
  static forRoot(config: AppConfig, destination?: DestinationStream): DynamicModule {
    const options = {
      level: config.LOG_LEVEL,
      base: { pid: process.pid, hostname: hostname(), service: 'a2a-gateway' },
      redact: {
        paths: ['req.headers', 'req.query', '*.authorization', '*.token'],
        censor: '[REDACTED]',
      },
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    };
    const logger: Logger = destination ? pino(options, destination) : pino(options);
    return {
      module: LoggerModule,
      providers: [
        { provide: PINO_LOGGER, useValue: logger },
        { provide: AppLogger, useValue: new AppLogger(logger) },
      ],
      exports: [PINO_LOGGER, AppLogger],
    };
  }
}

import type { LoggerService } from '@nestjs/common';
import type { Level, Logger as PinoLogger } from 'pino';

/**
 * Nest's logger interface over the app's pino logger. Nest's `Logger` calls arrive here as
 * `(message, ...params, context)`; an object first argument (`{ err, taskId }`) becomes the log
 * line's fields, an Error becomes `err`, and the `(message, stack)` form Nest's own exception
 * handlers use becomes an `err` with that stack.
 */
export class AppLogger implements LoggerService {
  constructor(readonly pino: PinoLogger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.call('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.call('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.call('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.call('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.call('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.call('fatal', message, params);
  }

  private call(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    // Nest appends the logger's context (the class name) as the last parameter.
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, ...(rest as [string?]));
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      this.pino[level](fields, ...(rest as [string?]));
    } else if (isStackContract(level, message, rest)) {
      const err = new Error(message as string);
      err.stack = rest[0] as string;
      fields.err = err;
      this.pino[level](fields);
    } else {
      this.pino[level](fields, String(message), ...rest);
    }
  }
}

/** Nest's exception handlers call `error(message, stack)`: a string that looks like a stack. */
function isStackContract(level: Level, message: unknown, rest: unknown[]): boolean {
  return (
    level === 'error' &&
    typeof message === 'string' &&
    rest.length === 1 &&
    typeof rest[0] === 'string' &&
    /\n\s*at /.test(rest[0])
  );
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { redactUrl } from './redact';

/**
 * JSON logs through pino. Requests are logged with method, redacted URL and status only: no
 * headers (Authorization, signatures) and no query object, so a token cannot leak by accident.
 */
@Module({})
export class LoggerModule {
  static forRoot(config: AppConfig, destination?: DestinationStream): DynamicModule {
    const options = {
      level: config.LOG_LEVEL,
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
      customProps: () => ({ service: 'a2a-gateway' }),
    };
    return {
      module: LoggerModule,
      imports: [
        PinoLoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options }),
      ],
    };
  }
}

import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import type { DestinationStream } from 'pino';
import { AuthModule } from './common/auth/auth.module';
import { Clock, SystemClock } from './common/clock';
import { DatabaseModule } from './common/database/database.module';
import { DomainExceptionFilter } from './common/errors/domain-exception.filter';
import { LoggerModule } from './common/logging/logger.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { A2aModule } from './modules/a2a/a2a.module';
import { AgentsModule } from './modules/agents/agents.module';
import { BusModule } from './modules/bus/bus.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { StreamTokensModule } from './modules/stream-tokens/stream-tokens.module';
import { StreamingModule } from './modules/streaming/streaming.module';
import { TaskMessagesModule } from './modules/task-messages/task-messages.module';
import { TasksModule } from './modules/tasks/tasks.module';
import { WebhookModule } from './modules/webhook/webhook.module';

export interface AppOptions {
  clock?: Clock;
  /** Where logs go (stdout when absent); tests capture them. */
  logDestination?: DestinationStream;
}

@Global()
@Module({})
class ClockModule {
  static forRoot(clock: Clock): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock ?? new SystemClock()),
        LoggerModule.forRoot(config, options.logDestination),
        EventEmitterModule.forRoot(),
        ScheduleModule.forRoot(),
        DatabaseModule,
        BusModule,
        MetricsModule,
        AuthModule,
        AgentsModule,
        TaskMessagesModule,
        TasksModule,
        WebhookModule,
        StreamTokensModule,
        StreamingModule,
        HealthModule,
        A2aModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}

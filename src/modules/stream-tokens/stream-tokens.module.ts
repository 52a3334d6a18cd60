import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { TasksModule } from '../tasks/tasks.module';
import { StreamAccessGuard } from './stream-access.guard';
import { StreamTokenThrottlerGuard } from './stream-token-throttler.guard';
import { StreamTokensController } from './stream-tokens.controller';
import { StreamTokensService } from './stream-tokens.service';

@Module({
  imports: [
    TasksModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      // Named 'default': @nestjs/throttler suffixes the Retry-After header of any other name.
      useFactory: (config: AppConfig) => [
        { name: 'default', ttl: 60_000, limit: config.STREAM_TOKEN_RATE_LIMIT },
      ],
    }),
  ],
  controllers: [StreamTokensController],
  providers: [StreamTokensService, StreamTokenThrottlerGuard, StreamAccessGuard],
  exports: [StreamAccessGuard],
})
export class StreamTokensModule {}

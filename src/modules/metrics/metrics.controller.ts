import { Controller, Get, Header, Headers } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/errors/domain-error';
import { Metrics } from './metrics';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.METRICS_TOKEN;
    if (token && authorization !== `Bearer ${token}`) {
      throw new DomainError('UNAUTHENTICATED', 'METRICS_TOKEN is set: send it as a bearer token');
    }
    return this.metrics.registry.metrics();
  }
}

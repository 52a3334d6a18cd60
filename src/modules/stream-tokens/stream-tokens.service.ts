import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { HmacJwt } from '../../common/auth/hmac-jwt';
import type { Principal } from '../../common/auth/principal';
import type { StreamClaims } from '../../common/auth/token-verifier';
import { Clock } from '../../common/clock';
import { type TaskScope, TasksService } from '../tasks/tasks.service';

export interface StreamTokenResponse {
  token: string;
  expiresAt: string;
  streamUrl: string;
}

/** Short-lived tokens that let a browser's EventSource open one task's stream, and nothing else. */
@Injectable()
export class StreamTokensService {
  private readonly streamTokens: HmacJwt;

  constructor(
    private readonly tasks: TasksService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.streamTokens = new HmacJwt(config.STREAM_TOKEN_SECRET);
  }

  async mint(principal: Principal, scope: TaskScope, taskId: string): Promise<StreamTokenResponse> {
    const task = await this.tasks.get(principal, scope, taskId);
    const ttl = this.config.STREAM_TOKEN_TTL_SECONDS;
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const claims: StreamClaims & { iat: number; exp: number } = {
      typ: 'stream',
      sub: principal.sub,
      org: scope.org,
      agent: scope.agent,
      task: task.id,
      iat: issuedAt,
      exp: issuedAt + ttl,
    };
    const token = this.streamTokens.sign(claims);
    return {
      token,
      expiresAt: new Date((issuedAt + ttl) * 1000).toISOString(),
      streamUrl: `${String(task.metadata.streamEndpoint)}?token=${encodeURIComponent(token)}`,
    };
  }
}

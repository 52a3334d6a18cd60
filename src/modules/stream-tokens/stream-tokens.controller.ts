import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import type { Principal } from '../../common/auth/principal';
import { UserJwtGuard } from '../../common/auth/user-jwt.guard';
import { StreamTokenThrottlerGuard } from './stream-token-throttler.guard';
import { type StreamTokenResponse, StreamTokensService } from './stream-tokens.service';
import { AgentScope, type TaskScope } from '../../common/http/agent-scope.decorator';

@Controller('agent-to-agent/:org/:agent/tasks/:taskId/stream-token')
export class StreamTokensController {
  constructor(private readonly streamTokens: StreamTokensService) {}

  @Post()
  @HttpCode(201)
  @UseGuards(UserJwtGuard, StreamTokenThrottlerGuard)
  mint(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
  ): Promise<StreamTokenResponse> {
    return this.streamTokens.mint(principal, scope, taskId);
  }
}

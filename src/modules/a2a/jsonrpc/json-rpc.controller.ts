import { Controller, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../../common/auth/current-principal.decorator';
import type { Principal } from '../../../common/auth/principal';
import { UserJwtGuard } from '../../../common/auth/user-jwt.guard';
import { AgentsService } from '../../agents/agents.service';
import { A2aError } from '../a2a-error';
import { A2A_BINDING } from '../a2a-routing';
import { A2A_VERSION_HEADER, negotiateVersion } from '../a2a-version';
import { A2aOperations } from '../operations/a2a-operations.service';
import { A2aStreams } from '../streaming/a2a-streams';
import { JsonRpcExceptionFilter } from './json-rpc-exception.filter';
import { jsonRpcFrameData, parseJsonRpcCall, sendJsonRpcResult } from './json-rpc-envelope';
import { V03_METHODS } from './v03-methods';
import { V1_METHODS } from './v1-methods';
import { AgentScope, type TaskScope } from '../../../common/http/agent-scope.decorator';

/**
 * The JSON-RPC binding: one POST at the agent's interface URL. The `A2A-Version` header picks
 * the method set and the shape of every answer: 1.0 with it, 0.3 without.
 */
@Controller('agent-to-agent/:org/:agent')
@UseGuards(UserJwtGuard)
@UseFilters(JsonRpcExceptionFilter)
export class JsonRpcController {
  constructor(
    private readonly operations: A2aOperations,
    private readonly streams: A2aStreams,
    private readonly agents: AgentsService,
  ) {}

  @Post()
  @RouteConfig({ [A2A_BINDING]: 'jsonrpc' })
  async handle(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const version = negotiateVersion(request.headers[A2A_VERSION_HEADER]);
    const call = parseJsonRpcCall(request.body);
    const method = (version === '1.0' ? V1_METHODS : V03_METHODS).get(call.method);
    if (!method)
      throw new A2aError(
        'METHOD_NOT_FOUND',
        `Method ${call.method.slice(0, 100)} not found (A2A ${version})`,
      );
    this.agents.get(scope.org, scope.agent);
    const outcome = await method(this.operations, {
      principal,
      scope,
      params: call.params,
    });
    if ('stream' in outcome)
      this.streams.open(reply, outcome.stream, jsonRpcFrameData(version, call.id));
    else sendJsonRpcResult(reply, call.id, outcome.result);
  }
}

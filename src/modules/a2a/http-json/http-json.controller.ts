import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { RouteConfig, RouteConstraints } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { Task } from '../../../../libs/contracts/src';
import { CurrentPrincipal } from '../../../common/auth/current-principal.decorator';
import type { Principal } from '../../../common/auth/principal';
import { UserJwtGuard } from '../../../common/auth/user-jwt.guard';
import { A2A_BINDING, A2A_REQUEST } from '../a2a-routing';
import { extendedCardUnsupported } from '../jsonrpc/v1-methods';
import { type ListTasksResult, A2aOperations } from '../operations/a2a-operations.service';
import { CreatePushConfigParams } from '../operations/params/push-config.params';
import { GetTaskParams, ListTasksParams } from '../operations/params/task-params';
import { validateParams } from '../operations/params/validate-params';
import { parseSendMessage } from '../operations/send-message-input';
import type { TaskPushNotificationConfig } from '../push/push-config';
import { A2aStreams, type A2aFrameData } from '../streaming/a2a-streams';
import { HttpJsonExceptionFilter } from './http-json-exception.filter';
import { HttpJsonVersionGuard } from './http-json-version.guard';
import { AgentScope, type TaskScope } from '../../../common/http/agent-scope.decorator';

// Task ids never hold a colon: `{id}:cancel` and `{id}:subscribe` are methods on the task.
const TASK = 'tasks/:taskId(^[^:/]+)';
/** Route config per handler (Nest copies only method metadata onto Fastify routes). */
const HttpJsonRoute = RouteConfig({ [A2A_BINDING]: 'http+json' });
/** HTTP+JSON streams carry the bare StreamResponse as each event's data. */
const streamResponseData: A2aFrameData = ({ json }) => json;

/**
 * The HTTP+JSON binding of A2A 1.0 under the agent's interface URL, over the same operations
 * as the JSON-RPC binding. `GET /tasks` and `GET /tasks/{id}` share their paths with the REST
 * API and answer here only requests that carry `A2A-Version` (see A2A_REQUEST).
 */
@Controller('agent-to-agent/:org/:agent')
@UseGuards(HttpJsonVersionGuard, UserJwtGuard)
@UseFilters(HttpJsonExceptionFilter)
export class HttpJsonController {
  constructor(
    private readonly operations: A2aOperations,
    private readonly streams: A2aStreams,
  ) {}

  @HttpJsonRoute
  @Post('message::send')
  @HttpCode(200)
  async send(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Body() body: unknown,
  ): Promise<{ task: Task }> {
    const input = parseSendMessage(body);
    return { task: await this.operations.sendMessage(principal, scope, input, '1.0') };
  }

  @HttpJsonRoute
  @Post('message::stream')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const input = parseSendMessage(body);
    const plan = await this.operations.streamMessage(principal, scope, input, '1.0');
    this.streams.open(reply, plan, streamResponseData);
  }

  @HttpJsonRoute
  @Get(`${TASK}::subscribe`)
  subscribe(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.openSubscription(principal, scope, taskId, reply);
  }

  /** The SDK's clients subscribe with POST; the specification names GET. Both are served. */
  @HttpJsonRoute
  @Post(`${TASK}::subscribe`)
  subscribeByPost(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.openSubscription(principal, scope, taskId, reply);
  }

  @HttpJsonRoute
  @Post(`${TASK}::cancel`)
  @HttpCode(200)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
  ): Promise<Task> {
    return this.operations.cancelTask(principal, scope, taskId);
  }

  @HttpJsonRoute
  @Get('tasks/:taskId')
  @RouteConstraints(A2A_REQUEST)
  get(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Task> {
    const { id, historyLength } = validateParams(GetTaskParams, { ...query, id: taskId });
    return this.operations.getTask(principal, scope, id, historyLength);
  }

  @HttpJsonRoute
  @Get('tasks')
  @RouteConstraints(A2A_REQUEST)
  list(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Query() query: Record<string, unknown>,
  ): Promise<ListTasksResult> {
    const params = validateParams(ListTasksParams, query);
    return this.operations.listTasks(principal, scope, params);
  }

  @HttpJsonRoute
  @Post('tasks/:taskId/pushNotificationConfigs')
  @HttpCode(201)
  createPushConfig(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
    @Body() body: unknown,
  ): Promise<TaskPushNotificationConfig> {
    const { taskId: id, ...input } = validateParams(CreatePushConfigParams, {
      ...(typeof body === 'object' ? body : {}),
      taskId,
    });
    return this.operations.createPushConfig(principal, scope, id, input, '1.0');
  }

  @HttpJsonRoute
  @Get('tasks/:taskId/pushNotificationConfigs')
  async listPushConfigs(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
  ): Promise<{ configs: TaskPushNotificationConfig[]; nextPageToken: string }> {
    const configs = await this.operations.listPushConfigs(principal, scope, taskId);
    return { configs, nextPageToken: '' };
  }

  @HttpJsonRoute
  @Get('tasks/:taskId/pushNotificationConfigs/:configId')
  getPushConfig(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
    @Param('configId') configId: string,
  ): Promise<TaskPushNotificationConfig> {
    return this.operations.getPushConfig(principal, scope, taskId, configId);
  }

  @HttpJsonRoute
  @Delete('tasks/:taskId/pushNotificationConfigs/:configId')
  @HttpCode(204)
  deletePushConfig(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
    @Param('configId') configId: string,
  ): Promise<void> {
    return this.operations.deletePushConfig(principal, scope, taskId, configId);
  }

  @HttpJsonRoute
  @Get('extendedAgentCard')
  extendedAgentCard(): never {
    throw extendedCardUnsupported();
  }

  private async openSubscription(
    principal: Principal,
    scope: TaskScope,
    taskId: string,
    reply: FastifyReply,
  ): Promise<void> {
    const plan = await this.operations.subscribe(principal, scope, taskId);
    this.streams.open(reply, plan, streamResponseData);
  }
}

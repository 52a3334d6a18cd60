import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Task } from '../../../libs/contracts/src';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import type { Principal } from '../../common/auth/principal';
import { UserJwtGuard } from '../../common/auth/user-jwt.guard';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery } from './dto/list-tasks.query';
import { TasksService } from './tasks.service';
import { AgentScope, type TaskScope } from '../../common/http/agent-scope.decorator';

@Controller('agent-to-agent/:org/:agent/tasks')
@UseGuards(UserJwtGuard)
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @HttpCode(201)
  create(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Body() body: CreateTaskDto,
  ): Promise<Task> {
    return this.tasks.create(principal, scope, body);
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Query() query: ListTasksQuery,
  ): Promise<{ tasks: Task[]; nextPageToken?: string }> {
    const { tasks, nextCursor } = await this.tasks.list(principal, scope, query);
    return nextCursor ? { tasks, nextPageToken: nextCursor } : { tasks };
  }

  @Get(':taskId')
  get(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
  ): Promise<Task> {
    return this.tasks.get(principal, scope, taskId);
  }

  @Post(':taskId/cancel')
  @HttpCode(200)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @AgentScope() scope: TaskScope,
    @Param('taskId') taskId: string,
  ): Promise<Task> {
    return this.tasks.cancel(principal, scope, taskId);
  }
}

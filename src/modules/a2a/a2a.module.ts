import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { StreamingModule } from '../streaming/streaming.module';
import { TaskMessagesModule } from '../task-messages/task-messages.module';
import { TasksModule } from '../tasks/tasks.module';
import { installA2aRouting } from './a2a-routing';
import { AgentCardController } from './card/agent-card.controller';
import { HttpJsonController } from './http-json/http-json.controller';
import { JsonRpcController } from './jsonrpc/json-rpc.controller';
import { A2aOperations } from './operations/a2a-operations.service';
import { TaskPauseWaiter } from './operations/task-pause-waiter';
import { PushConfigsRepository } from './push/push-configs.repository';
import { PushConfigsService } from './push/push-configs.service';
import { PushDelivery } from './push/push-delivery.service';
import { PushSender } from './push/push-sender';
import { PushTargetPolicy } from './push/push-target-policy';
import { SqlPushConfigsRepository } from './push/sql-push-configs.repository';
import { A2aStreams } from './streaming/a2a-streams';

const A2A_ROUTING = Symbol('A2A_ROUTING');

/**
 * Every agent as a standard A2A server: its card, the JSON-RPC and HTTP+JSON bindings in
 * A2A 1.0 (and JSON-RPC in 0.3), and push notifications. All views of the tasks and event log.
 */
@Module({
  imports: [TasksModule, TaskMessagesModule, StreamingModule],
  controllers: [AgentCardController, JsonRpcController, HttpJsonController],
  providers: [
    {
      // Providers are built before Nest adds routes: the router learns the A2A constraint first.
      provide: A2A_ROUTING,
      useFactory: (host: HttpAdapterHost): void => {
        const fastify = host.httpAdapter?.getInstance<FastifyInstance>();
        if (fastify) installA2aRouting(fastify);
      },
      inject: [HttpAdapterHost],
    },
    { provide: PushConfigsRepository, useClass: SqlPushConfigsRepository },
    A2aOperations,
    A2aStreams,
    TaskPauseWaiter,
    PushConfigsService,
    PushDelivery,
    PushSender,
    PushTargetPolicy,
  ],
})
export class A2aModule {}

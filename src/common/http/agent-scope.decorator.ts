import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The org and agent a request is about: the `:org/:agent` of `/agent-to-agent/:org/:agent/...`. */
export interface TaskScope {
  org: string;
  agent: string;
}

/** Injects the route's TaskScope, so handlers take one argument instead of two @Param()s. */
export const AgentScope = createParamDecorator(
  (_: unknown, context: ExecutionContext): TaskScope => {
    const { org, agent } = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: TaskScope }>>().params;
    return { org, agent };
  },
);

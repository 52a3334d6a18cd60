import { createHash } from 'node:crypto';
import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config/app-config';
import { AgentsService } from '../../agents/agents.service';
import { A2A_VERSION_HEADER, negotiateVersion } from '../a2a-version';
import { HttpJsonExceptionFilter } from '../http-json/http-json-exception.filter';
import { buildAgentCard } from './agent-card';
import { toV03AgentCard } from './v03-agent-card';
import { AgentScope, type TaskScope } from '../../../common/http/agent-scope.decorator';

/**
 * `GET <interface>/.well-known/agent-card.json`, public like any agent card. A request that
 * says `A2A-Version: 1.0` gets the 1.0 card; one without the header is a 0.3 client (the
 * resolver of the 1.x SDK always sends it) and gets the 0.3 form. Cached by clients and
 * proxies per version (`Vary`), revalidated by ETag.
 */
@Controller('agent-to-agent/:org/:agent/.well-known')
@UseFilters(HttpJsonExceptionFilter)
export class AgentCardController {
  constructor(
    private readonly agents: AgentsService,
    private readonly config: AppConfig,
  ) {}

  @Get('agent-card.json')
  card(
    @AgentScope() scope: TaskScope,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const version = negotiateVersion(request.headers[A2A_VERSION_HEADER]);
    const card = buildAgentCard(this.agents.get(scope.org, scope.agent), this.baseUrl(request));
    const body = JSON.stringify(version === '1.0' ? card : toV03AgentCard(card));
    const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const vary = reply.getHeader('vary');
    void reply
      // Added to what CORS may have set (Vary: Origin), not in its place.
      .header('vary', vary ? `${String(vary)}, A2A-Version` : 'A2A-Version')
      .header('etag', etag)
      .header('cache-control', `public, max-age=${this.config.A2A_CARD_MAX_AGE_SECONDS}`);
    const known = request.headers['if-none-match']?.split(',').map((tag) => tag.trim());
    if (known?.includes(etag)) return void reply.status(304).send();
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  /** Absolute URLs in the card: PUBLIC_BASE_URL, or the address this request came to. */
  private baseUrl(request: FastifyRequest): string {
    return (
      this.config.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`
    );
  }
}

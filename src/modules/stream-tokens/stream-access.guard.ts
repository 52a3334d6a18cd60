import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../../common/auth/bearer';
import { isMemberOf } from '../../common/auth/principal';
import { type StreamClaims, TokenVerifier } from '../../common/auth/token-verifier';
import { DomainError, taskNotFound } from '../../common/errors/domain-error';

/** Who may read this task's stream, once the guard has let the request through. */
export interface StreamAccess {
  sub: string;
  org: string;
  agent: string;
  taskId: string;
}

export type StreamRequest = FastifyRequest & {
  streamAccess: StreamAccess;
  params: { org: string; agent: string; taskId: string };
  query: Record<string, string | undefined>;
};

/**
 * For routes that read one task's events: a stream token (`?token=` — EventSource cannot send
 * headers — or bearer) bound to exactly this org, agent and task, or a user access token of a
 * member of the org. Runs before any byte of the response, so failures are real HTTP statuses.
 */
@Injectable()
export class StreamAccessGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<StreamRequest>();
    const { org, agent, taskId } = request.params;
    const token = request.query.token ?? bearerToken(request);
    if (!token)
      throw new DomainError(
        'UNAUTHENTICATED',
        'A stream token (?token=) or a bearer token is required',
      );
    const claims = this.verifier.claimsToBeStream(token) ? this.streamClaims(token) : undefined;
    if (claims) {
      if (claims.org !== org || claims.agent !== agent || claims.task !== taskId) {
        throw new DomainError('FORBIDDEN', 'This stream token is for another task');
      }
      request.streamAccess = { sub: claims.sub, org, agent, taskId };
      return true;
    }
    const principal = this.verifier.verifyUser(token);
    if (!isMemberOf(principal, org)) throw taskNotFound(taskId);
    request.streamAccess = { sub: principal.sub, org, agent, taskId };
    return true;
  }

  /** The stream token's claims; undefined when it is no stream token (maybe a user token). */
  private streamClaims(token: string): StreamClaims | undefined {
    try {
      return this.verifier.verifyStream(token);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'TOKEN_EXPIRED') throw error;
      return undefined;
    }
  }
}

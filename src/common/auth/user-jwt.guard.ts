import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { bearerToken } from './bearer';
import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export type AuthenticatedRequest = FastifyRequest & { principal: Principal };

/** Requires a valid user access token and puts its principal on the request. */
@Injectable()
export class UserJwtGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'Missing bearer token');
    request.principal = this.verifier.verifyUser(token);
    return true;
  }
}

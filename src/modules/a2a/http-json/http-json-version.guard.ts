import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { A2aError } from '../a2a-error';
import { A2A_VERSION_HEADER, negotiateVersion } from '../a2a-version';

/**
 * The HTTP+JSON binding is offered in A2A 1.0 only (0.3 had other paths, under `/v1`): a
 * request without `A2A-Version`, a 0.3 request, is told which version to speak.
 */
@Injectable()
export class HttpJsonVersionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (negotiateVersion(request.headers[A2A_VERSION_HEADER]) !== '1.0') {
      throw new A2aError(
        'VERSION_NOT_SUPPORTED',
        'The HTTP+JSON binding speaks A2A 1.0: send the header A2A-Version: 1.0 (0.3 clients use the JSON-RPC binding)',
      );
    }
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import type { Principal } from './principal';

/** Claims of a stream token: one user, one task of one agent in one org. */
export interface StreamClaims {
  typ: 'stream';
  sub: string;
  org: string;
  agent: string;
  task: string;
}

/**
 * Verifies the two kinds of bearer token: user access tokens (HS256 with JWT_SECRET, the kind
 * Supabase Auth issues) and stream tokens (HS256 with STREAM_TOKEN_SECRET). Expired tokens and
 * bad ones get distinct codes so that a client knows whether to fetch a new token.
 */
@Injectable()
export class TokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async verifyUser(token: string): Promise<Principal> {
    const claims = await this.verify(token, this.config.JWT_SECRET, {
      audience: this.config.JWT_AUDIENCE,
      issuer: this.config.JWT_ISSUER,
    });
    const { sub, orgs, roles } = claims;
    if (
      typeof sub !== 'string' ||
      !isStringArray(orgs) ||
      (roles !== undefined && !isStringArray(roles))
    ) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'Access token must carry sub, orgs[] and roles[] claims',
      );
    }
    return { sub, orgs, roles: roles ?? [] };
  }

  async verifyStream(token: string): Promise<StreamClaims> {
    const claims = await this.verify(token, this.config.STREAM_TOKEN_SECRET, {});
    if (claims.typ !== 'stream' || typeof claims.task !== 'string') {
      throw new DomainError('UNAUTHENTICATED', 'Not a stream token');
    }
    return claims as unknown as StreamClaims;
  }

  private async verify(
    token: string,
    secret: string,
    options: { audience?: string; issuer?: string },
  ): Promise<Record<string, unknown>> {
    try {
      return await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        secret,
        algorithms: ['HS256'],
        ...(options.audience ? { audience: options.audience } : {}),
        ...(options.issuer ? { issuer: options.issuer } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'TokenExpiredError')
        throw new DomainError('TOKEN_EXPIRED', 'Token expired');
      throw new DomainError('UNAUTHENTICATED', 'Invalid token');
    }
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

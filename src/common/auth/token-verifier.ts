import { Injectable } from '@nestjs/common';
import { decode, TokenExpiredError } from 'jsonwebtoken';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { HmacJwt } from './hmac-jwt';
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
  private readonly userTokens: HmacJwt;
  private readonly streamTokens: HmacJwt;

  constructor(private readonly config: AppConfig) {
    this.userTokens = new HmacJwt(config.JWT_SECRET);
    this.streamTokens = new HmacJwt(config.STREAM_TOKEN_SECRET);
  }

  verifyUser(token: string): Principal {
    const claims = this.verify(token, this.userTokens, {
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

  /**
   * Whether the token calls itself a stream token, read without verifying it: it only picks the
   * secret tried first. Trying the stream secret on every user token cost a failed verification
   * and two errors with their stack traces on each stream a user token opened.
   */
  claimsToBeStream(token: string): boolean {
    const payload = decode(token, { json: true });
    return payload?.typ === 'stream';
  }

  verifyStream(token: string): StreamClaims {
    const claims = this.verify(token, this.streamTokens, {});
    if (claims.typ !== 'stream' || typeof claims.task !== 'string') {
      throw new DomainError('UNAUTHENTICATED', 'Not a stream token');
    }
    return claims as unknown as StreamClaims;
  }

  private verify(
    token: string,
    tokens: HmacJwt,
    options: { audience?: string; issuer?: string },
  ): Record<string, unknown> {
    try {
      return tokens.verify(token, options);
    } catch (error) {
      if (error instanceof TokenExpiredError)
        throw new DomainError('TOKEN_EXPIRED', 'Token expired');
      throw new DomainError('UNAUTHENTICATED', 'Invalid token');
    }
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

import { createSecretKey, type KeyObject } from 'node:crypto';
import { JsonWebTokenError, sign, verify } from 'jsonwebtoken';

/**
 * HS256 JWTs under one secret, its key prepared once. Given a string, jsonwebtoken builds the key
 * again on every call, trying it as a PEM public key first: about 0.3 ms per token on the bench
 * machine against 10 µs with a KeyObject, paid on every stream opened and every API call.
 */
export class HmacJwt {
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(claims: object, options: { expiresIn?: number } = {}): string {
    return sign(claims, this.key, { algorithm: 'HS256', ...options });
  }

  /** The claims of a valid token; throws jsonwebtoken's errors (TokenExpiredError, ...) otherwise. */
  verify(
    token: string,
    options: { audience?: string; issuer?: string } = {},
  ): Record<string, unknown> {
    const claims = verify(token, this.key, {
      algorithms: ['HS256'],
      ...(options.audience ? { audience: options.audience } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
    });
    if (typeof claims === 'string') throw new JsonWebTokenError('jwt payload must be an object');
    return claims;
  }
}

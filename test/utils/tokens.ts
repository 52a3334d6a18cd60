import { HmacJwt } from '../../src/common/auth/hmac-jwt';
import { TEST_JWT_SECRET } from './test-app';

export interface UserClaims {
  sub: string;
  orgs: string[];
  roles?: string[];
}

/** A user access token as Supabase Auth would issue it (HS256, sub/orgs/roles). */
export function userToken(
  claims: UserClaims,
  options: { secret?: string; expiresIn?: number } = {},
): string {
  return new HmacJwt(options.secret ?? TEST_JWT_SECRET).sign(
    { sub: claims.sub, orgs: claims.orgs, roles: claims.roles ?? [] },
    { expiresIn: options.expiresIn ?? 3600 },
  );
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

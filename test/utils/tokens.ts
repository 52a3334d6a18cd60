import { JwtService } from '@nestjs/jwt';
import { TEST_JWT_SECRET } from './test-app';

const jwt = new JwtService();

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
  return jwt.sign(
    { sub: claims.sub, orgs: claims.orgs, roles: claims.roles ?? [] },
    {
      secret: options.secret ?? TEST_JWT_SECRET,
      algorithm: 'HS256',
      expiresIn: options.expiresIn ?? 3600,
    },
  );
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

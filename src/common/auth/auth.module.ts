import { Global, Module } from '@nestjs/common';
import { TokenVerifier } from './token-verifier';
import { UserJwtGuard } from './user-jwt.guard';

@Global()
@Module({
  providers: [TokenVerifier, UserJwtGuard],
  exports: [TokenVerifier, UserJwtGuard],
})
export class AuthModule {}

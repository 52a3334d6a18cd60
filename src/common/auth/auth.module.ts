import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TokenVerifier } from './token-verifier';
import { UserJwtGuard } from './user-jwt.guard';

@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [TokenVerifier, UserJwtGuard],
  exports: [TokenVerifier, UserJwtGuard, JwtModule],
})
export class AuthModule {}

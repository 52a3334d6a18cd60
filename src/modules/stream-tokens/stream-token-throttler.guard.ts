import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../../common/auth/user-jwt.guard';

/** Rate limits minting per user and task (not per IP: many users share a NAT, one user many IPs). */
@Injectable()
export class StreamTokenThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as AuthenticatedRequest & { params: { taskId?: string } };
    return Promise.resolve(`${req.principal.sub}:${req.params.taskId ?? ''}`);
  }
}

import { HotlineConfig } from '@hotline/config';
import { ProblemException } from '@hotline/http';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';

/**
 * Stands in for staff authentication until it exists: every staff route is closed (401).
 * Only under NODE_ENV=test can a TEST_STAFF_TOKEN open them (config refuses the variable in any
 * other environment), so the e2e tests can reach the views and production cannot.
 */
@Injectable()
export class InterimStaffGuard implements CanActivate {
  private readonly token: Buffer | null;

  constructor(config: HotlineConfig) {
    this.token = config.env === 'test' && config.testStaffToken ? Buffer.from(`Bearer ${config.testStaffToken}`) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.allows(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization)) return true;
    throw new ProblemException('unauthorized');
  }

  /** Whether an Authorization header value opens the staff routes. */
  allows(authorization: string | undefined): boolean {
    if (!this.token || typeof authorization !== 'string') return false;
    const candidate = Buffer.from(authorization);
    return candidate.length === this.token.length && timingSafeEqual(candidate, this.token);
  }
}

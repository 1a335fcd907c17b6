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
    const given = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (this.token && typeof given === 'string') {
      const candidate = Buffer.from(given);
      if (candidate.length === this.token.length && timingSafeEqual(candidate, this.token)) return true;
    }
    throw new ProblemException('unauthorized');
  }
}

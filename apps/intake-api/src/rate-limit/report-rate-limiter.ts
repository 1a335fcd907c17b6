import { HotlineConfig } from '@hotline/config';
import { ProblemException } from '@hotline/http';
import { MetricsRegistry } from '@hotline/observability';
import { PRODUCER_REDIS } from '@hotline/queue';
import { ClientKeyer } from '@hotline/security';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * INTAKE_RATE_LIMIT for report submissions. The counter key is an HMAC of the client address under
 * a key that rotates daily; the address is read here, hashed, and goes nowhere else. Counters live
 * in Redis so every intake replica shares them; while Redis is down an in-process limiter takes
 * over, so reports keep flowing (and stay limited) during the outage.
 */
@Injectable()
export class ReportRateLimiter {
  private readonly limiter: RateLimiterAbstract | null;
  private readonly keyer: ClientKeyer;
  private readonly limited;

  constructor(config: HotlineConfig, @Inject(PRODUCER_REDIS) redis: Redis, metrics: MetricsRegistry) {
    this.keyer = new ClientKeyer(config.rateLimitKey);
    this.limited = metrics.counter('hotline_intake_rate_limited_total', 'Submissions refused by the rate limit');
    const limit = config.intakeRateLimit;
    if (limit === 'off') {
      this.limiter = null;
      return;
    }
    const duration = Math.ceil(limit.windowMs / 1000);
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redisPrefix}:intake-rate`,
      points: limit.max,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: limit.max, duration }),
    });
  }

  /** Counts one submission from the request's client; throws a `rate_limited` problem when over. */
  async consume(request: FastifyRequest): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(this.keyer.keyFor(request.ip));
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        this.limited.inc();
        throw new ProblemException('rate_limited', { retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) });
      }
      throw outcome;
    }
  }
}

import { MetricsRegistry } from '@hotline/observability';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BULK_REPORTS_PATH } from '../bulk-reports/bulk-reports.route';
import { SUBMIT_REPORT_PATH } from './report-submission.route';

/** The ways in of a report: the JSON API, the report page's form, a trusted source's batch. */
export type IntakeChannel = 'api' | 'form' | 'bulk';

export type IntakeOutcome = 'accepted' | 'replayed' | 'invalid' | 'too_large' | 'unsupported_media_type' | 'rate_limited' | 'unavailable' | 'failed';

const CHANNELS: Readonly<Record<string, IntakeChannel>> = { [`POST ${SUBMIT_REPORT_PATH}`]: 'api', 'POST /': 'form', [`POST ${BULK_REPORTS_PATH}`]: 'bulk' };

/** The channel of a request, from its method and route pattern; null for anything that is not a submission. */
export function intakeChannel(method: string, route: string | undefined): IntakeChannel | null {
  return CHANNELS[`${method} ${route}`] ?? null;
}

/**
 * What a submission's answer says happened: accepted (201; 200 is a bulk batch sent again), or why
 * it was refused. Read from the status alone, so every path that answers (handlers, body parsing,
 * hostile bodies, the rate limit) is counted the same way.
 */
export function intakeOutcome(status: number): IntakeOutcome {
  if (status === 201) return 'accepted';
  if (status === 200) return 'replayed';
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  return 'failed';
}

/** `hotline_intake_submissions_total{channel,outcome}`: submissions accepted and refused, by reason. */
@Injectable()
export class IntakeOutcomeMetrics implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const submissions = this.metrics.counter('hotline_intake_submissions_total', 'Report submissions answered, by channel and outcome (accepted, or why refused)', [
      'channel',
      'outcome',
    ]);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // A callback hook: it runs on every request, and most are not submissions.
    fastify.addHook('onResponse', (request, reply, done) => {
      const channel = intakeChannel(request.method, request.routeOptions?.url);
      if (channel) submissions.inc({ channel, outcome: intakeOutcome(reply.statusCode) });
      done();
    });
  }
}

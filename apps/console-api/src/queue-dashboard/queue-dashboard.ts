import { createBullBoard } from '@bull-board/api';
import { AuditLog } from '@hotline/audit';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { HotlineConfig } from '@hotline/config';
import { ProblemException, replyWithProblem } from '@hotline/http';
import { QueueRegistry } from '@hotline/queue';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { allows, bearerToken } from '@hotline/security';
import { StaffSessions } from '../staff-access/staff-sessions.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The Bull Board dashboard over the machine queues (BULL_BOARD_ENABLED, off by default), mounted
 * as a Fastify plugin with its own access check in front of every request, assets included:
 * admins only (permission queue-dashboard.use). Nest's guard does not see these routes.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  private readonly logger = new Logger('Problem');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
    private readonly sessions: StaffSessions,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.bullBoardEnabled) return;
    const board = new FastifyAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: this.queues.all().map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })), serverAdapter: board });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const token = bearerToken(request.headers.authorization);
        const staff = token ? await this.sessions.authenticate(token) : null;
        if (!staff) return replyWithProblem(new ProblemException('unauthorized'), request, reply, this.logger);
        if (!allows(staff.role, 'queue-dashboard.use')) return replyWithProblem(new ProblemException('forbidden'), request, reply, this.logger);
        // Its API calls (and every change: retry, clean, pause) are audited; page assets are not.
        if (request.method !== 'GET' || request.url.includes('/api/')) {
          await this.audit.append({
            actor: { id: staff.id, role: staff.role },
            action: `queue-dashboard ${request.method}`,
            detail: { path: request.url.split('?')[0] },
          });
        }
      });
      await scope.register(board.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
    });
  }
}

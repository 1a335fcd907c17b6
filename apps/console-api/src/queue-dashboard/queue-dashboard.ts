import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { HotlineConfig } from '@hotline/config';
import { ProblemException, replyWithProblem } from '@hotline/http';
import { QueueRegistry } from '@hotline/queue';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { InterimStaffGuard } from '../staff-access/interim-staff.guard';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The Bull Board dashboard over the machine queues (BULL_BOARD_ENABLED, off by default), mounted
 * as a Fastify plugin with its own access check in front of every request, assets included:
 * admins only, which until staff login exists means nobody outside the tests.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  private readonly logger = new Logger('Problem');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
    private readonly access: InterimStaffGuard,
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
        if (!this.access.allows(request.headers.authorization)) return replyWithProblem(new ProblemException('unauthorized'), request, reply, this.logger);
      });
      await scope.register(board.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
    });
  }
}

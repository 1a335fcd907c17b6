import { createBullBoard } from '@bull-board/api';
import { AuditLog } from '@hotline/audit';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { HotlineConfig } from '@hotline/config';
import { ProblemException, replyWithProblem } from '@hotline/http';
import { QueueRegistry } from '@hotline/queue';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allows, bearerToken } from '@hotline/security';
import { sendProblemPage } from '../console-web/page-exception.filter';
import { PASSWORD_PAGE, safeReturnPath } from '../console-web/page-access';
import { fromThisConsole } from '../console-web/page-reply';
import { sessionTokenOf } from '../console-web/session-cookie';
import { actorOf, type StaffPrincipal } from '../staff-access/staff-principal';
import { StaffSessions } from '../staff-access/staff-sessions.service';
import { boardAnswerWithoutContent, boardLogsWithoutContent, withheldProgress, withheldValue } from './board-redaction';

/** Where the dashboard is mounted; the console's navigation links here (layout.ts navBlock). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The dashboard page's Content-Security-Policy. Bull Board is a React app served with its own
 * scripts, styles, locales, logo and a syntax-highlighting worker, all from this origin (the
 * plugin's static files), so everything is 'self'. Its page also carries a few inline styles (the
 * "Loading" placeholder), hence 'unsafe-inline' for styles only: scripts stay 'self', so nothing
 * inline runs. Its <base href> is this origin. Never framed, fetches to this origin only.
 */
export const QUEUE_DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'";

/** Bull Board's page asks Google for its web fonts; nothing here is fetched from another origin, so the link goes (its CSS falls back to system fonts). */
const WEB_FONT_LINK = /<link[^>]*href="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>/g;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The Bull Board dashboard over the machine queues (BULL_BOARD_ENABLED, off by default), mounted
 * as a Fastify plugin with its own access check in front of every request, assets included:
 * admins only (permission queue-dashboard.use). Nest's guard does not see these routes.
 *
 * It takes the API's bearer token or the console's session cookie, so an admin signed in to the
 * console opens it in the browser; without a session a browser is sent to sign in and back. It
 * shows no case content: job data, return values, failure texts and stack traces are withheld or
 * cut (boardQueue, answerWithoutContent).
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
    createBullBoard({
      queues: this.queues.all().map(boardQueue),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Hotline queues', hideDocsLink: true, miscLinks: [{ text: 'Staff console', url: '/' }] } },
    });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', (request, reply) => this.admit(request, reply));
      scope.addHook('onSend', async (request, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        if (/^application\/(?:[a-z.+-]+\+)?json/i.test(type)) return answerWithoutContent(request, payload);
        if (!/^text\/html/i.test(type)) return payload;
        if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', QUEUE_DASHBOARD_CSP);
        void reply.header('cache-control', 'no-store');
        return typeof payload === 'string' ? payload.replace(WEB_FONT_LINK, '') : payload;
      });
      await scope.register(board.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
    });
  }

  /** Lets an admin's request through (and audits it), or answers it: sign in, refused, or not from this console. */
  private async admit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const bearer = bearerToken(request.headers.authorization);
    const token = bearer ?? sessionTokenOf(request);
    const staff = token ? await this.sessions.authenticate(token) : null;
    if (!staff) {
      if (opensPage(request)) {
        void reply
          .status(303)
          .header('location', `/login?next=${encodeURIComponent(safeReturnPath(request.url))}`)
          .header('cache-control', 'no-store')
          .send();
        return;
      }
      return replyWithProblem(new ProblemException('unauthorized'), request, reply, this.logger);
    }
    request.staff = staff;
    // As StaffAccessGuard: a user whose password an admin chose must choose their own first.
    if (staff.passwordChangeRequired) {
      await this.refusal(staff, request, 'password_change');
      if (opensPage(request)) {
        void reply.status(303).header('location', PASSWORD_PAGE).header('cache-control', 'no-store').send();
        return;
      }
      return replyWithProblem(new ProblemException('password_change_required'), request, reply, this.logger);
    }
    if (!allows(staff.role, 'queue-dashboard.use')) {
      await this.refusal(staff, request, null);
      return this.refuse(request, reply, new ProblemException('forbidden'));
    }
    // Bull Board's own page sends its changes (retry, clean, pause) by fetch, without our CSRF
    // token. A cookie session's change must therefore come from this origin, as the browser says
    // (Fetch Metadata, Origin: fromThisConsole). The cookie is SameSite=Strict, so other sites'
    // requests do not carry it in the first place; this check covers what SameSite does not (a
    // sibling subdomain is same-site, an older browser ignores the attribute). A bearer token is
    // never sent by a browser on its own, so it needs neither.
    if (!bearer && !SAFE_METHODS.has(request.method) && !fromThisConsole(request)) {
      await this.refusal(staff, request, 'csrf');
      return this.refuse(request, reply, new ProblemException('csrf_refused'));
    }
    // Its API calls (and every change: retry, clean, pause) are audited; page assets are not.
    if (request.method !== 'GET' || request.url.includes('/api/')) {
      await this.audit.append({
        actor: actorOf(staff),
        action: `queue-dashboard ${request.method}`,
        detail: { path: request.url.split('?')[0] },
      });
    }
  }

  /** A refusal of a signed-in user is audited, as StaffAccessGuard does for every other route. */
  private async refusal(staff: StaffPrincipal, request: FastifyRequest, reason: 'csrf' | 'password_change' | null): Promise<void> {
    await this.audit.append({
      actor: actorOf(staff),
      action: 'access.denied',
      detail: { method: request.method, route: QUEUE_DASHBOARD_PATH, permission: 'queue-dashboard.use', ...(reason ? { reason } : {}) },
    });
  }

  /** The console's "not for your role" page for a browser opening the dashboard, problem+json otherwise. */
  private refuse(request: FastifyRequest, reply: FastifyReply, problem: ProblemException): void {
    if (!opensPage(request) || problem.kind !== 'forbidden') return replyWithProblem(problem, request, reply, this.logger);
    sendProblemPage(request, reply, this.config, problem, this.logger);
  }
}

/**
 * One queue on the board. Admins see no case content (as on the dead letters page): a job's data,
 * return value and any progress that is not a number are withheld (their keys shown), failure
 * texts and stack traces are cut in onSend (answerWithoutContent). Retrying, cleaning, pausing
 * and removing jobs work as before: they go by queue and job id.
 */
function boardQueue(queue: Queue): BullMQAdapter {
  const adapter = new BullMQAdapter(queue, { readOnlyMode: false });
  adapter.setFormatter('data', withheldValue);
  adapter.setFormatter('returnValue', withheldValue);
  adapter.setFormatter('progress', withheldProgress);
  return adapter;
}

/** The board's JSON answer, without failure texts, stack traces or log lines that could name a reported host. */
function answerWithoutContent(request: FastifyRequest, payload: unknown): unknown {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return payload;
  }
  const logs = request.routeOptions.url === `${QUEUE_DASHBOARD_PATH}/api/queues/:queueName/:jobId/logs`;
  return JSON.stringify(logs ? boardLogsWithoutContent(body) : boardAnswerWithoutContent(body));
}

/** A browser opening one of the dashboard's pages (not its API, not an asset). */
function opensPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const path = request.url.split('?')[0];
  if (path.startsWith(`${QUEUE_DASHBOARD_PATH}/api/`) || path.startsWith(`${QUEUE_DASHBOARD_PATH}/static/`)) return false;
  const mode = request.headers['sec-fetch-mode'];
  if (typeof mode === 'string') return mode === 'navigate';
  return /\btext\/html\b/i.test(String(request.headers.accept ?? ''));
}

import { AuditLog } from '@hotline/audit';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';

/**
 * Every staff view and action leaves an audit event before its answer is sent: if the event
 * cannot be written, nothing is shown. Handlers that change state write their own, more precise
 * event in their transaction (and set request.audited); everything else gets one here, naming
 * the route and the ids in its path and query, never what was shown.
 */
@Injectable()
export class AuditTrailInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      switchMap((body) => {
        const staff = request.staff;
        if (!staff || request.audited) return [body];
        const route = request.routeOptions?.url ?? '';
        const params = (request.params ?? {}) as Record<string, string>;
        return from(
          this.audit
            .append({
              actor: { id: staff.id, role: staff.role },
              action: `${request.method} ${route}`,
              target: params.id ? { type: route.includes('/cases/') ? 'case' : 'resource', id: params.id } : undefined,
              detail: { params, query: (request.query ?? {}) as Record<string, string>, ...shownCases(body, request.shownCaseIds) },
            })
            .then(() => body),
        );
      }),
    );
  }
}

/** A page of cases names the cases it showed: a list is a view of each of them. */
function shownCases(body: unknown, shownByPage: string[] | undefined): { caseIds?: string[] } {
  if (shownByPage) return { caseIds: shownByPage };
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || !items.every((item) => typeof item?.id === 'string')) return {};
  return { caseIds: items.map((item: { id: string }) => item.id) };
}

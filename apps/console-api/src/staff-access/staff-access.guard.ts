import { AuditLog } from '@hotline/audit';
import { ProblemException } from '@hotline/http';
import { PUBLIC_ROUTE } from '@hotline/observability';
import { allows, bearerToken, Permission } from '@hotline/security';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { REQUIRED_PERMISSION } from './access.decorators';
import { StaffSessions } from './staff-sessions.service';

/**
 * Deny by default, on every console-api route: public routes (@Public) pass; every other route
 * must name a permission (@Requires) and the caller's role must hold it (PERMISSIONS). No or a bad
 * token is 401, the wrong role 403, and a route that names no permission is 403 for everyone.
 * Refusals of a signed-in user are audited.
 */
@Injectable()
export class StaffAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: StaffSessions,
    private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerToken(request.headers.authorization);
    const staff = token ? await this.sessions.authenticate(token) : null;
    if (!staff) throw new ProblemException('unauthorized');
    request.staff = staff;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    if (permission && allows(staff.role, permission)) return true;
    await this.audit.append({
      actor: { id: staff.id, role: staff.role },
      action: 'access.denied',
      detail: { method: request.method, route: request.routeOptions?.url ?? null, permission: permission ?? null },
    });
    throw new ProblemException('forbidden');
  }
}

import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { ProblemException } from '@hotline/http';
import { PUBLIC_ROUTE } from '@hotline/observability';
import { ApiKeyRepository, type ApiKeyScope as ApiKeyScopeName } from '@hotline/persistence';
import { allows, bearerApiKey, bearerToken, Permission } from '@hotline/security';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { CONSOLE_PAGE, PasswordChangeRequired, SignInRequired } from '../console-web/page-access';
import { csrfTokenMatches, csrfTokenOf, sessionTokenOf } from '../console-web/session-cookie';
import { ALLOWED_BEFORE_PASSWORD_CHANGE, API_KEY_SCOPES, REQUIRED_PERMISSION } from './access.decorators';
import { StaffSessions } from './staff-sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sent by the console's script on requests nobody asked for (see assets/console.js). */
export const BACKGROUND_HEADER = 'x-hotline-background';

/**
 * Deny by default, on every console-api route: public routes (@Public) pass; every other route
 * must name a permission (@Requires) and the caller's role must hold it (PERMISSIONS). No or a bad
 * token is 401, the wrong role 403, and a route that names no permission is 403 for everyone.
 * Refusals of a signed-in user are audited.
 *
 * The token comes as `Authorization: Bearer` (API clients) or in the console's session cookie
 * (browsers); a cookie session's requests that change anything must also carry its CSRF token.
 * A console page without a session sends the browser to the sign-in page instead of a 401.
 *
 * A user whose password an admin chose (passwordChangeRequired) reaches only the routes marked
 * @AllowedBeforePasswordChange until they choose their own: a console page is a 303 to the
 * password page, anything else 403 `password_change_required`.
 *
 * A route marked @ApiKeyScope is for organisations' API keys instead (the URL list): only a key
 * (`Authorization: Bearer hlk_...`) is read there, never a staff token or cookie, and it must
 * hold one of the route's scopes. A key is nothing to the staff routes (401 like any bad token).
 */
@Injectable()
export class StaffAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: StaffSessions,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
    private readonly apiKeys: ApiKeyRepository,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const scopes = this.reflector.getAllAndOverride<ApiKeyScopeName[] | undefined>(API_KEY_SCOPES, targets);
    if (scopes) return this.apiKeyAccess(request, scopes);
    const bearer = bearerToken(request.headers.authorization);
    const token = bearer ?? sessionTokenOf(request);
    // A console page's own background requests (its session check, its refresh) are not use: an
    // open tab nobody looks at must not keep the session from lapsing on idle.
    const staff = token ? await this.sessions.authenticate(token, { extend: request.headers[BACKGROUND_HEADER] !== '1' }) : null;
    if (!staff) {
      if (this.reflector.getAllAndOverride<boolean>(CONSOLE_PAGE, targets) && SAFE_METHODS.has(request.method)) throw new SignInRequired(request.url);
      throw new ProblemException('unauthorized');
    }
    request.staff = staff;
    if (!bearer && !SAFE_METHODS.has(request.method) && !csrfTokenMatches(this.config.tokenSigningKey, staff.sessionId, csrfTokenOf(request))) {
      await this.refusal(request, null, 'csrf');
      throw new ProblemException('csrf_refused');
    }
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    if (staff.passwordChangeRequired && !this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_PASSWORD_CHANGE, targets)) {
      await this.refusal(request, permission ?? null, 'password_change');
      if (this.reflector.getAllAndOverride<boolean>(CONSOLE_PAGE, targets) && SAFE_METHODS.has(request.method)) throw new PasswordChangeRequired();
      throw new ProblemException('password_change_required');
    }
    if (permission && allows(staff.role, permission)) return true;
    await this.refusal(request, permission ?? null, 'role');
    throw new ProblemException('forbidden');
  }

  private async apiKeyAccess(request: FastifyRequest, scopes: readonly ApiKeyScopeName[]): Promise<boolean> {
    const presented = bearerApiKey(request.headers.authorization);
    const key = presented ? await this.apiKeys.authenticate(this.dataSource, presented) : null;
    if (!key) throw new ProblemException('unauthorized');
    request.apiKey = key;
    if (key.scopes.some((scope) => scopes.includes(scope))) return true;
    await this.audit.append({
      actor: { id: key.id, role: 'api_key' },
      action: 'access.denied',
      detail: { method: request.method, route: request.routeOptions?.url ?? null, scopes: [...scopes] },
    });
    throw new ProblemException('forbidden');
  }

  private async refusal(request: FastifyRequest, permission: Permission | null, reason: 'role' | 'csrf' | 'password_change'): Promise<void> {
    const staff = request.staff!;
    await this.audit.append({
      actor: { id: staff.id, role: staff.role },
      action: 'access.denied',
      detail: { method: request.method, route: request.routeOptions?.url ?? null, permission, ...(reason === 'role' ? {} : { reason }) },
    });
  }
}

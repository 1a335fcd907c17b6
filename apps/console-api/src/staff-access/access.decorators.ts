import type { ApiKeyRow, ApiKeyScope as ApiKeyScopeName } from '@hotline/persistence';
import { Permission } from '@hotline/security';
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { StaffPrincipal } from './staff-principal';

export const REQUIRED_PERMISSION = 'hotline:required-permission';

/** The one permission (see PERMISSIONS) a route needs. A route without one is refused to all. */
export const Requires = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'hotline:allowed-before-password-change';

/**
 * A route a user whose password an admin chose may use before choosing their own: the password
 * page, signing out, who they are. Every other route sends them to the password page (a page) or
 * answers `password_change_required` (StaffAccessGuard).
 */
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);

/** The signed-in staff user of the request (set by StaffAccessGuard). */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffPrincipal => {
  const staff = context.switchToHttp().getRequest<FastifyRequest>().staff;
  if (!staff) throw new Error('CurrentStaff used on a route without a staff principal');
  return staff;
});

export const API_KEY_SCOPES = 'hotline:api-key-scopes';

/**
 * A route for organisations' API keys (`Authorization: Bearer hlk_...`), not staff: the guard
 * authenticates the key instead of a staff session (a staff token or cookie is refused here, as a
 * key is on staff routes) and lets it pass if it holds one of these scopes. No or a bad key is
 * 401, a key without the scope 403. The handler audits what it gives out (actor role `api_key`).
 */
export const ApiKeyScope = (...scopes: [ApiKeyScopeName, ...ApiKeyScopeName[]]) => SetMetadata(API_KEY_SCOPES, scopes);

/** The API key of the request (set by StaffAccessGuard on @ApiKeyScope routes). */
export const CurrentApiKey = createParamDecorator((_: unknown, context: ExecutionContext): ApiKeyRow => {
  const key = context.switchToHttp().getRequest<FastifyRequest>().apiKey;
  if (!key) throw new Error('CurrentApiKey used on a route without an API key');
  return key;
});

declare module 'fastify' {
  interface FastifyRequest {
    /** The organisation's API key of an @ApiKeyScope route. */
    apiKey?: ApiKeyRow;
  }
}

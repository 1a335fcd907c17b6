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

import { Permission } from '@hotline/security';
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { StaffPrincipal } from './staff-principal';

export const REQUIRED_PERMISSION = 'hotline:required-permission';

/** The one permission (see PERMISSIONS) a route needs. A route without one is refused to all. */
export const Requires = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

/** The signed-in staff user of the request (set by StaffAccessGuard). */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffPrincipal => {
  const staff = context.switchToHttp().getRequest<FastifyRequest>().staff;
  if (!staff) throw new Error('CurrentStaff used on a route without a staff principal');
  return staff;
});

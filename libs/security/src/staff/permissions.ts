import { StaffRole } from './staff-roles';

/**
 * Who may do what: the whole permission matrix. Every console-api route names exactly one
 * permission (or is public: login, health, metrics, docs); a route that names none is refused to
 * everyone. Read down a column to see a role's reach.
 *
 * Separation of duties: admins run the system (users, routing, queues, the audit log) but never
 * see case content; regulators see aggregates and the audit's integrity, never content;
 * LE liaisons see only escalations for their own agency (the escalation issue adds those routes).
 */
export const PERMISSIONS = {
  //                                analyst  senior   le       regul.   admin
  'queues.read': roles('analyst', 'senior_analyst', 'regulator', 'admin'),
  'cases.read': roles('analyst', 'senior_analyst'),
  'cases.reveal': roles('analyst', 'senior_analyst'),
  'cases.claim': roles('analyst', 'senior_analyst'),
  'cases.assess': roles('analyst', 'senior_analyst'),
  'cases.review': roles('senior_analyst'),
  'cases.appeal': roles('senior_analyst'),
  'cases.act': roles('analyst', 'senior_analyst'),
  // Suspends the retention purge for a case (no content seen); a liaison only for cases referred to their agency.
  'legal-hold.manage': roles('senior_analyst', 'le_liaison', 'admin'),
  'exposure.read-own': roles('analyst', 'senior_analyst'),
  'escalations.read': roles('le_liaison'),
  'escalations.act': roles('le_liaison'),
  'routing.read': roles('admin'),
  'routing.manage': roles('admin'),
  'users.manage': roles('admin'),
  'partners.manage': roles('admin'),
  'queue-dashboard.use': roles('admin'),
  'dead-letters.manage': roles('admin'),
  'abuse-contacts.manage': roles('admin'),
  'api-keys.manage': roles('admin'),
  // Aggregates only (docs/statistics.md): no URL, report text or staff name.
  'stats.read': roles('regulator', 'admin'),
  'audit.read': roles('regulator', 'admin'),
  'audit.verify': roles('regulator', 'admin'),
  'session.own': roles('analyst', 'senior_analyst', 'le_liaison', 'regulator', 'admin'),
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(role: StaffRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}

function roles<R extends StaffRole[]>(...granted: R): Readonly<R> {
  return Object.freeze(granted);
}

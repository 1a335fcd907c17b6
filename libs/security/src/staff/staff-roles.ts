/** The staff roles; each user has exactly one. */
export const STAFF_ROLES = ['analyst', 'senior_analyst', 'le_liaison', 'regulator', 'admin'] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

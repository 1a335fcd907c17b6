import { allows, Permission, PERMISSIONS } from './permissions';
import { STAFF_ROLES, StaffRole } from './staff-roles';

const permissions = Object.keys(PERMISSIONS) as Permission[];
const reach = (role: StaffRole) => permissions.filter((permission) => allows(role, permission));

describe('the permission matrix', () => {
  it('names only known roles, each at most once, and cannot be changed at run time', () => {
    for (const permission of permissions) {
      const granted = PERMISSIONS[permission] as readonly string[];
      expect(granted.length).toBeGreaterThan(0);
      for (const role of granted) expect(STAFF_ROLES).toContain(role);
      expect(new Set(granted).size).toBe(granted.length);
      expect(Object.isFrozen(granted)).toBe(true);
    }
  });

  it('allows exactly what the matrix lists', () => {
    for (const permission of permissions) {
      for (const role of STAFF_ROLES) expect(allows(role, permission)).toBe((PERMISSIONS[permission] as readonly string[]).includes(role));
    }
  });

  it('gives each role its reach, and no more (separation of duties)', () => {
    expect(reach('analyst')).toEqual(['queues.read', 'cases.read', 'cases.reveal', 'cases.claim', 'cases.assess', 'cases.act', 'exposure.read-own', 'session.own']);
    expect(reach('senior_analyst')).toEqual([
      'queues.read',
      'cases.read',
      'cases.reveal',
      'cases.claim',
      'cases.assess',
      'cases.review',
      'cases.appeal',
      'cases.act',
      'legal-hold.manage',
      'exposure.read-own',
      'session.own',
    ]);
    expect(reach('le_liaison')).toEqual(['legal-hold.manage', 'escalations.read', 'escalations.act', 'session.own']);
    expect(reach('regulator')).toEqual(['queues.read', 'stats.read', 'audit.read', 'audit.verify', 'session.own']);
    expect(reach('admin')).toEqual([
      'queues.read',
      'legal-hold.manage',
      'routing.read',
      'routing.manage',
      'users.manage',
      'partners.manage',
      'queue-dashboard.use',
      'dead-letters.manage',
      'abuse-contacts.manage',
      'api-keys.manage',
      'stats.read',
      'audit.read',
      'audit.verify',
      'session.own',
    ]);
  });

  it('never lets admins, regulators or LE liaisons see case content', () => {
    for (const role of ['admin', 'regulator', 'le_liaison'] as const) {
      expect(reach(role).filter((permission) => permission.startsWith('cases.'))).toEqual([]);
    }
  });

  it('keeps review and appeals to senior analysts, and users, routing and the queue dashboard to admins', () => {
    for (const permission of ['cases.review', 'cases.appeal'] as const) expect(PERMISSIONS[permission]).toEqual(['senior_analyst']);
    for (const permission of [
      'users.manage',
      'routing.manage',
      'routing.read',
      'queue-dashboard.use',
      'dead-letters.manage',
      'abuse-contacts.manage',
      'api-keys.manage',
    ] as const)
      expect(PERMISSIONS[permission]).toEqual(['admin']);
  });

  it('lets every role manage its own session', () => {
    expect([...PERMISSIONS['session.own']].sort()).toEqual([...STAFF_ROLES].sort());
  });
});

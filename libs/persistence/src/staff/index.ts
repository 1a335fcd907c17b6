export * from './staff-user.row';
export * from './staff.repository';
export * from './staff-session.row';
export * from './staff-session.repository';

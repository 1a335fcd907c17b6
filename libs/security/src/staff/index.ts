export * from './access-tokens';
export * from './login-policy';
export * from './passwords';
export * from './permissions';
export * from './staff-roles';
export * from './totp';
export * from './staff-directory';
export * from './enrolment-ticket';

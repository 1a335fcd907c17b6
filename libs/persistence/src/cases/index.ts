export * from './case.row';
export * from './case-transitions';
export * from './case.repository';
export * from './case-lease.repository';
export * from './assessment.repository';
export * from './action.repository';

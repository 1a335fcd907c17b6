import {
  ATTACH_ONLY_STATUSES,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  CONFIRMED_STATUSES,
  CaseStatus,
  IllegalTransitionError,
  REAPPEAR_FROM,
  TERMINAL_STATUSES,
  VERDICT_STATUSES,
  assertTransition,
  canTransition,
  isCaseStatus,
} from './case-status';

/** Every status reachable from `start` (including itself). */
function reachableFrom(start: CaseStatus): Set<CaseStatus> {
  const seen = new Set<CaseStatus>([start]);
  const todo = [start];
  while (todo.length > 0) {
    for (const next of CASE_TRANSITIONS[todo.pop()!]) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

describe('case status machine', () => {
  const nonIllegalVerdicts: CaseStatus[] = ['not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit'];

  // Every transition the architecture names, plus the ones the brief adds.
  const required: Array<[CaseStatus, CaseStatus]> = [
    ['queued', 'in_assessment'],
    ['in_assessment', 'pending_review'],
    ['in_assessment', 'confirmed'],
    ...nonIllegalVerdicts.map((v): [CaseStatus, CaseStatus] => ['in_assessment', v]),
    ['in_assessment', 'queued'], // lease lapsed or released
    ['pending_review', 'confirmed'], // review confirms
    ...nonIllegalVerdicts.map((v): [CaseStatus, CaseStatus] => ['pending_review', v]), // review overturns
    ['confirmed', 'actioned'],
    ['actioned', 'removed'],
    ['removed', 'closed'],
    ['removed', 'reappeared'],
    ['closed', 'reappeared'],
    ['reappeared', 'queued'],
    // appeals: a final verdict goes back to review
    ['confirmed', 'pending_review'],
    ['not_illegal', 'pending_review'],
    ['harmful_not_illegal', 'pending_review'],
    ['out_of_remit', 'pending_review'],
  ];

  it.each(required)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  const forbidden: Array<[CaseStatus, CaseStatus]> = [
    ['queued', 'queued'], // re-routing between queues is not a status change
    ['queued', 'confirmed'], // verdicts need an assessment under a lease
    ['queued', 'closed'],
    ['in_assessment', 'actioned'],
    ['in_assessment', 'in_assessment'],
    ['pending_review', 'queued'],
    ['confirmed', 'closed'], // action must come first
    ['confirmed', 'removed'],
    ['not_illegal', 'queued'],
    ['harmful_not_illegal', 'reappeared'],
    ['out_of_remit', 'confirmed'],
    ['actioned', 'closed'], // removal must be verified
    ['closed', 'queued'], // reappearance is recorded on the way
    ['reappeared', 'in_assessment'],
    ['unassessable', 'pending_review'], // not appealed: it goes back to the queue instead
    ['actioned', 'pending_review'], // too late to appeal: action was taken
  ];

  it.each(forbidden)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('has no self-transitions', () => {
    for (const status of CASE_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('says which move was refused', () => {
    let caught: unknown;
    try {
      assertTransition('queued', 'closed');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ name: 'IllegalTransitionError', from: 'queued', to: 'closed' });
    expect((caught as Error).message).toBe('a case cannot go from queued to closed');
  });

  it('refuses a status that is not in the table (e.g. read from old data)', () => {
    expect(canTransition('received' as CaseStatus, 'queued')).toBe(false);
    expect(canTransition('toString' as CaseStatus, 'queued')).toBe(false);
    expect(canTransition('queued', 'received' as CaseStatus)).toBe(false);
  });

  it('has exactly one row per status, and only known statuses in each row', () => {
    expect(Object.keys(CASE_TRANSITIONS).sort()).toEqual([...CASE_STATUSES].sort());
    for (const targets of Object.values(CASE_TRANSITIONS)) {
      for (const to of targets) expect(CASE_STATUSES).toContain(to);
    }
  });

  it('reaches every status from queued', () => {
    expect([...reachableFrom('queued')].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('lists the terminal statuses: the final non-illegal verdicts, left only by an appeal', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['harmful_not_illegal', 'not_illegal', 'out_of_remit']);
    for (const status of TERMINAL_STATUSES) expect(CASE_TRANSITIONS[status]).toEqual(['pending_review']);
  });

  it('lets every status reach an end: a terminal status or closed', () => {
    const ends: CaseStatus[] = [...TERMINAL_STATUSES, 'closed'];
    for (const start of CASE_STATUSES) {
      expect([...reachableFrom(start)].some((status) => ends.includes(status))).toBe(true);
    }
  });

  it('lists the verdicts', () => {
    expect([...VERDICT_STATUSES].sort()).toEqual([...nonIllegalVerdicts, 'confirmed'].sort());
  });

  it('splits statuses between attach-only and reappear-from for new reports', () => {
    expect([...REAPPEAR_FROM].sort()).toEqual(['closed', 'removed']);
    for (const status of CASE_STATUSES) {
      expect(ATTACH_ONLY_STATUSES.includes(status)).toBe(!REAPPEAR_FROM.includes(status));
    }
    for (const status of REAPPEAR_FROM) expect(canTransition(status, 'reappeared')).toBe(true);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(CASE_TRANSITIONS)).toBe(true);
    for (const row of Object.values(CASE_TRANSITIONS)) expect(Object.isFrozen(row)).toBe(true);
    expect(Object.isFrozen(ATTACH_ONLY_STATUSES)).toBe(true);
    expect(Object.isFrozen(REAPPEAR_FROM)).toBe(true);
  });

  it('recognises case statuses in untyped data', () => {
    expect(isCaseStatus('in_assessment')).toBe(true);
    expect(isCaseStatus('received')).toBe(false);
    expect(isCaseStatus(undefined)).toBe(false);
  });
});

describe('CONFIRMED_STATUSES', () => {
  it('are confirmed and every status the state machine leads to from there before a reappearance', () => {
    // confirmed -> actioned -> removed -> closed, each reachable from the one before.
    expect(CONFIRMED_STATUSES).toEqual(['confirmed', 'actioned', 'removed', 'closed']);
    for (let i = 1; i < CONFIRMED_STATUSES.length; i++) expect(canTransition(CONFIRMED_STATUSES[i - 1], CONFIRMED_STATUSES[i])).toBe(true);
  });
});

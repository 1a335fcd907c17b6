import { CASE_STATUSES } from '../case/case-status';
import {
  contactDue,
  descriptionDue,
  noneRemoved,
  purgeSummary,
  RAW_URL_PURGE_STATUSES,
  rawUrlDue,
  RETENTION_CLASSES,
  retentionCutoffs,
  RetentionPolicy,
  sessionDue,
  sessionEndedAt,
  totalRemoved,
} from './retention';

const NOW = new Date('2031-05-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const POLICY: RetentionPolicy = { contactMs: 180 * DAY, descriptionMs: 90 * DAY, rawUrlMs: 30 * DAY, sessionMs: 30 * DAY };
const cutoffs = retentionCutoffs(POLICY, NOW);

describe('retentionCutoffs', () => {
  it('puts each cutoff its retention before now', () => {
    expect(cutoffs).toEqual({
      now: NOW,
      contactReceivedBy: ago(180 * DAY),
      descriptionReceivedBy: ago(90 * DAY),
      rawUrlSettledBy: ago(30 * DAY),
      sessionEndedBy: ago(30 * DAY),
    });
  });
});

describe('contactDue', () => {
  it('is due at its own erasure date, told to the reporter at intake', () => {
    expect(contactDue({ contactDeleteAfter: NOW, receivedAt: ago(DAY), held: false }, cutoffs)).toBe(true);
    expect(contactDue({ contactDeleteAfter: new Date(NOW.getTime() + 1), receivedAt: ago(DAY), held: false }, cutoffs)).toBe(false);
  });

  it('is due once older than the retention now configured, so a shorter CONTACT_RETENTION_DAYS applies to contacts kept already', () => {
    expect(contactDue({ contactDeleteAfter: new Date(NOW.getTime() + 100 * DAY), receivedAt: ago(180 * DAY), held: false }, cutoffs)).toBe(true);
    expect(contactDue({ contactDeleteAfter: null, receivedAt: ago(180 * DAY - 1), held: false }, cutoffs)).toBe(false);
  });

  it('is never due while a case of the report is on legal hold', () => {
    expect(contactDue({ contactDeleteAfter: ago(DAY), receivedAt: ago(400 * DAY), held: true }, cutoffs)).toBe(false);
  });
});

describe('descriptionDue', () => {
  it('is due from the retention after receipt, inclusive', () => {
    expect(descriptionDue({ receivedAt: ago(90 * DAY), held: false }, cutoffs)).toBe(true);
    expect(descriptionDue({ receivedAt: ago(90 * DAY - 1), held: false }, cutoffs)).toBe(false);
  });

  it('is never due while held', () => {
    expect(descriptionDue({ receivedAt: ago(1000 * DAY), held: true }, cutoffs)).toBe(false);
  });
});

describe('rawUrlDue', () => {
  const old = ago(31 * DAY);

  it('takes the raw URLs of cases settled not illegal, and only those', () => {
    for (const status of CASE_STATUSES) {
      expect(rawUrlDue({ caseStatus: status, settledAt: old, receivedAt: old, held: false }, cutoffs)).toBe(RAW_URL_PURGE_STATUSES.includes(status));
    }
    // Illegal material keeps them: they are evidence.
    for (const status of ['confirmed', 'actioned', 'removed', 'closed', 'pending_review'] as const) expect(RAW_URL_PURGE_STATUSES).not.toContain(status);
  });

  it('waits for the retention from the settling and from the URL’s own receipt, whichever is later', () => {
    expect(rawUrlDue({ caseStatus: 'not_illegal', settledAt: ago(29 * DAY), receivedAt: old, held: false }, cutoffs)).toBe(false);
    expect(rawUrlDue({ caseStatus: 'not_illegal', settledAt: old, receivedAt: ago(DAY), held: false }, cutoffs)).toBe(false);
    expect(rawUrlDue({ caseStatus: 'not_illegal', settledAt: ago(30 * DAY), receivedAt: ago(30 * DAY), held: false }, cutoffs)).toBe(true);
  });

  it('is never due while the case is held', () => {
    expect(rawUrlDue({ caseStatus: 'not_illegal', settledAt: old, receivedAt: old, held: true }, cutoffs)).toBe(false);
  });
});

describe('sessions', () => {
  const session = (over: Partial<{ expiresAt: Date; maxExpiresAt: Date; revokedAt: Date | null }>) => ({
    expiresAt: ago(40 * DAY),
    maxExpiresAt: ago(39 * DAY),
    revokedAt: null,
    ...over,
  });

  it('end at the first of lapse, hard limit and revocation', () => {
    expect(sessionEndedAt(session({}))).toEqual(ago(40 * DAY));
    expect(sessionEndedAt(session({ expiresAt: ago(DAY), maxExpiresAt: ago(2 * DAY) }))).toEqual(ago(2 * DAY));
    expect(sessionEndedAt(session({ expiresAt: NOW, maxExpiresAt: NOW, revokedAt: ago(50 * DAY) }))).toEqual(ago(50 * DAY));
  });

  it('are due once ended longer ago than the retention', () => {
    expect(sessionDue(session({}), cutoffs)).toBe(true);
    expect(sessionDue(session({ expiresAt: ago(29 * DAY), maxExpiresAt: ago(29 * DAY) }), cutoffs)).toBe(false);
    expect(sessionDue(session({ expiresAt: NOW, maxExpiresAt: NOW, revokedAt: ago(31 * DAY) }), cutoffs)).toBe(true);
  });
});

describe('purge counts', () => {
  it('start at zero for every class and add up', () => {
    const counts = noneRemoved();
    expect(Object.keys(counts)).toEqual([...RETENTION_CLASSES]);
    expect(totalRemoved(counts)).toBe(0);
    expect(totalRemoved({ ...counts, raw_url: 3, staff_session: 2 })).toBe(5);
  });

  it('are summed up in one line naming every class and what is never purged', () => {
    const counts = { reporter_contact: 1, report_description: 2, raw_url: 3, staff_session: 4 };
    expect(purgeSummary(counts)).toBe(
      'retention purge removed reporter_contact=1 report_description=2 raw_url=3 staff_session=4 (export packages are never stored; the audit log is never purged)',
    );
    expect(purgeSummary(noneRemoved(), { dryRun: true })).toMatch(/^retention purge would remove reporter_contact=0 /);
  });
});

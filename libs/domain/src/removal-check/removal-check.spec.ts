import { CASE_STATUSES, CaseStatus } from '../case/case-status';
import { outcomeOfStatus, REAPPEARANCE_WATCH_MS, REMOVAL_CHECK_OUTCOMES, RemovalCheckOutcome, removalCheckAction, removalScanPeriodMs } from './removal-check';

const NOW = new Date('2031-05-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const result = (outcome: RemovalCheckOutcome, httpStatus: number | null = null, redirectFollowed = false) => ({ outcome, httpStatus, redirectFollowed });

describe('outcomeOfStatus', () => {
  it('counts 404 and 410 as gone', () => {
    expect(outcomeOfStatus(404)).toBe('gone');
    expect(outcomeOfStatus(410)).toBe('gone');
  });

  it('counts server errors as unreachable, to be asked again', () => {
    for (const status of [500, 502, 503, 504, 599]) expect(outcomeOfStatus(status)).toBe('unreachable');
  });

  it('counts everything else as still online: a login wall or another refusal is no evidence of removal', () => {
    for (const status of [200, 204, 206, 301, 304, 400, 401, 403, 429, 451]) expect(outcomeOfStatus(status)).toBe('online');
  });
});

describe('removalCheckAction', () => {
  it('marks confirmed and actioned content removed when it is gone', () => {
    expect(removalCheckAction('confirmed', result('gone', 404), null, null, NOW)).toBe('mark_removed');
    expect(removalCheckAction('actioned', result('gone', 410), 'online', null, NOW)).toBe('mark_removed');
    expect(removalCheckAction('actioned', result('gone'), null, null, NOW)).toBe('mark_removed'); // NXDOMAIN
    expect(removalCheckAction('actioned', result('gone', 404, true), 'online', null, NOW)).toBe('mark_removed'); // same-host redirect to a 404
  });

  it('leaves confirmed content alone for every other outcome', () => {
    for (const outcome of REMOVAL_CHECK_OUTCOMES.filter((o) => o !== 'gone')) {
      expect(removalCheckAction('actioned', result(outcome, 200), 'gone', null, NOW)).toBe('none');
      expect(removalCheckAction('confirmed', result(outcome, 302), null, null, NOW)).toBe('none');
    }
  });

  it('reopens removed or closed content the monitor saw gone when the URL itself answers 2xx again within 90 days', () => {
    expect(removalCheckAction('removed', result('online', 200), 'gone', ago(DAY), NOW)).toBe('reappear');
    expect(removalCheckAction('closed', result('online', 206), 'gone', ago(89 * DAY), NOW)).toBe('reappear');
    expect(removalCheckAction('closed', result('online', 200), 'gone', ago(REAPPEARANCE_WATCH_MS), NOW)).toBe('reappear');
  });

  it('does not reopen for a 2xx reached through a redirect: a host sending removed files to its home page or a "removed" page', () => {
    expect(removalCheckAction('removed', result('online', 200, true), 'gone', ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('closed', result('online', 200, true), 'gone', ago(DAY), NOW)).toBe('none');
  });

  it('does not reopen content the monitor never saw gone (removed by staff, or its last check not gone)', () => {
    expect(removalCheckAction('removed', result('online', 200), null, ago(DAY), NOW)).toBe('none');
    for (const previous of REMOVAL_CHECK_OUTCOMES.filter((o) => o !== 'gone')) {
      expect(removalCheckAction('removed', result('online', 200), previous, ago(DAY), NOW)).toBe('none');
    }
  });

  it('does not reopen for an answer that is not content (login wall, redirect, error), nor after 90 days', () => {
    for (const status of [401, 403, 429, 301]) expect(removalCheckAction('removed', result('online', status), 'gone', ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('redirected', 302), 'gone', ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('unreachable', 503), 'gone', ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('gone', 404), 'gone', ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('closed', result('online', 200), 'gone', ago(REAPPEARANCE_WATCH_MS + 1), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('online', 200), 'gone', null, NOW)).toBe('none');
  });

  it('does nothing for cases outside removal monitoring', () => {
    const watched: CaseStatus[] = ['confirmed', 'actioned', 'removed', 'closed'];
    for (const status of CASE_STATUSES.filter((s) => !watched.includes(s))) {
      for (const outcome of REMOVAL_CHECK_OUTCOMES) {
        expect(removalCheckAction(status, result(outcome, outcome === 'gone' ? 404 : 200), 'gone', ago(DAY), NOW)).toBe('none');
      }
    }
  });
});

describe('scheduling', () => {
  it('scans a thirtieth of the interval, between a second and five minutes', () => {
    expect(removalScanPeriodMs(6 * 3600 * 1000)).toBe(300_000);
    expect(removalScanPeriodMs(60_000)).toBe(2_000);
    expect(removalScanPeriodMs(500)).toBe(1_000);
  });
});

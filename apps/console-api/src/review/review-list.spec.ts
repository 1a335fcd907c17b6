import type { PendingReviewRow } from '@hotline/persistence';
import { firstReviewable, toReviewList } from './review-list';

const NOW = new Date('2030-01-02T12:00:00Z');

function row(overrides: Partial<PendingReviewRow> = {}): PendingReviewRow {
  return {
    id: '01900000-0000-7000-8000-000000000001',
    canonical_url: 'http://bad.example.com/a.b',
    priority: 50,
    verdict: 'national',
    assessed_at: new Date('2030-01-02T11:00:00Z'),
    report_count: 1,
    waiting_since: new Date('2030-01-02T11:00:00Z'),
    took_part: false,
    total: 2,
    ...overrides,
  };
}

describe('the review list', () => {
  it('defangs the URL and says how long the case has waited', () => {
    const list = toReviewList([row()], { blind: false, now: NOW });
    expect(list.total).toBe(2);
    expect(list.items[0]).toMatchObject({ url: 'hxxp://bad[.]example[.]com/a.b', waitingSeconds: 3600, verdict: 'national', tookPart: false });
  });

  it('never carries the verdict under blind review, even if a row had one', () => {
    const list = toReviewList([row()], { blind: true, now: NOW });
    expect(list.items[0]).not.toHaveProperty('verdict');
    expect(JSON.stringify(list)).not.toContain('national');
  });

  it('is empty with a total of 0 when nothing waits', () => {
    expect(toReviewList([], { blind: true, now: NOW })).toEqual({ total: 0, items: [] });
  });

  it('opens first the first case the viewer took no part in', () => {
    const list = toReviewList([row({ id: 'a', took_part: true }), row({ id: 'b' }), row({ id: 'c' })], { blind: true, now: NOW });
    expect(firstReviewable(list)?.id).toBe('b');
    expect(firstReviewable(toReviewList([row({ took_part: true })], { blind: true, now: NOW }))).toBeUndefined();
  });
});

import type { HotlineConfig } from '@hotline/config';
import type { ReviewOverview } from '../../review/review-overview.service';
import { reviewQuality } from '../../review/review-quality';
import type { PageContext } from '../layout';
import { reviewPage } from './review.pages';

const NOW = new Date('2030-01-02T12:00:00Z');

function ctx(lang: PageContext['lang'] = 'en'): PageContext {
  return { lang, staff: null, csrf: null, now: NOW, config: {} as HotlineConfig, path: '/' };
}

function overview(blind: boolean): ReviewOverview {
  const item = (id: string, tookPart: boolean) => ({
    id,
    url: 'hxxp://bad[.]example[.]com/a',
    priority: 70,
    ...(blind ? {} : { verdict: 'baseline' as const }),
    assessedAt: new Date('2030-01-02T10:00:00Z'),
    waitingSince: new Date('2030-01-02T10:00:00Z'),
    waitingSeconds: 7200,
    tookPart,
  });
  return {
    blind,
    reviews: { total: 150, items: [item('own', true), item('other', false)] },
    appeals: { total: 0, items: [] },
    quality: {
      recentDays: 30,
      recent: reviewQuality({ reviews: 8, overturned: 2, appealsDecided: 0, appealsReversed: 0 }),
      allTime: reviewQuality({ reviews: 40, overturned: 3, appealsDecided: 4, appealsReversed: 1 }),
    },
  };
}

describe('the review page', () => {
  it('under blind review has no verdict column and no verdict', () => {
    const { body } = reviewPage(ctx(), overview(true));
    const markup = body.toString();
    expect(markup).not.toContain('First verdict');
    expect(markup).not.toMatch(/INTERPOL|baseline/);
    expect(markup).toContain('Blind review is on');
  });

  it('without blind review shows the first verdict of each case', () => {
    const markup = reviewPage(ctx(), overview(false)).body.toString();
    expect(markup).toContain('First verdict');
    expect(markup).toContain('Illegal everywhere (INTERPOL baseline)');
  });

  it('marks the viewer’s own cases and gives `o` to the first case they may review', () => {
    const { body, shortcuts } = reviewPage(ctx(), overview(true));
    const markup = body.toString();
    expect(markup).toMatch(/<tr data-case-id="own"\s+class="took-part">/);
    expect(markup).toMatch(/<a class="button" href="\/cases\/other" data-key="o" aria-keyshortcuts="o">/);
    expect(shortcuts).toEqual([{ key: 'O', label: 'Open the first case you may review' }]);
  });

  it('says how many wait when not all are listed, and that no case is under appeal', () => {
    const markup = reviewPage(ctx(), overview(true)).body.toString();
    expect(markup).toContain('150 cases are waiting, most urgent first.');
    expect(markup).toContain('The 2 most urgent are listed here.');
    expect(markup).toContain('No case is under appeal.');
  });

  it('writes the disagreement and appeal-reversal rates, and no rate where nothing was decided', () => {
    const markup = reviewPage(ctx(), overview(true)).body.toString();
    expect(markup).toMatch(/id="disagreement-recent" data-changed="2" data-decided="8">\s*2 of 8 \(25%\)/);
    expect(markup).toMatch(/id="disagreement-all" data-changed="3" data-decided="40">\s*3 of 40 \(7\.5%\)/);
    expect(markup).toMatch(/id="appeals-recent" data-changed="0" data-decided="0">\s*none decided yet/);
    expect(markup).toMatch(/id="appeals-all" data-changed="1" data-decided="4">\s*1 of 4 \(25%\)/);
  });

  it('speaks French and Arabic', () => {
    expect(reviewPage(ctx('fr'), overview(true)).body.toString()).toMatch(/2 sur 8 \(25\s?%\)/);
    expect(reviewPage(ctx('ar'), overview(true)).body.toString()).toContain('المراجعة العمياء مفعّلة');
  });
});

import type { HotlineConfig } from '@hotline/config';
import type { CaseDetailView } from '../../../cases/case-view';
import type { StaffPrincipal } from '../../../staff-access/staff-principal';
import type { PageContext } from '../../layout';
import { renderPage } from '../../layout';
import { EMPTY_VERDICT_FORM } from './case-forms';
import { casePage, type CasePageModel, unsavedReason } from './case-page';

const ANALYST = '0190a0a0-0000-7000-8000-0000000000aa';
const SENIOR = '0190a0a0-0000-7000-8000-0000000000bb';
const NOW = new Date('2026-03-04T10:00:00Z');

function view(overrides: Partial<CaseDetailView> = {}): CaseDetailView {
  return {
    id: '0190a0a0-0000-7000-8000-000000000001',
    status: 'in_assessment',
    queue: 'general',
    priority: 25,
    priorityFactors: [{ factor: 'content_type', points: 20, detail: 'most severe reported: images' }],
    reportCount: 1,
    url: 'hxxp://bad[.]example[.]com/a',
    host: 'bad[.]example[.]com',
    registrableDomain: 'example[.]com',
    hosting: { status: 'resolved', class: 'foreign', ip: '203.0.113.7', country: 'NL', asn: 64500, organisation: 'Example <Hosting>', cnames: [], error: null },
    source: 'public',
    reappearedCount: 0,
    settledBy: null,
    firstReportedAt: '2026-03-04T09:00:00.000Z',
    lastReportedAt: '2026-03-04T09:30:00.000Z',
    queuedAt: '2026-03-04T09:00:00.000Z',
    lease: { assignee: ANALYST, expiresAt: '2026-03-04T10:10:00.000Z' },
    verdict: null,
    classification: null,
    blindReview: false,
    reports: [
      {
        receivedAt: '2026-03-04T09:00:00.000Z',
        source: 'public_web',
        language: 'fr',
        contentType: 'images',
        victimIdentifiable: false,
        url: 'hxxp://bad[.]example[.]com/a',
      },
    ],
    domainHistory: { counts: {}, latest: [] },
    assessments: [],
    actions: [],
    hold: null,
    legalHold: null,
    removalCheck: null,
    exchange: [],
    timeline: [{ at: '2026-03-04T09:00:00.000Z', kind: 'created', fromStatus: null, toStatus: 'queued', actorId: null, detail: { queue: 'general' }, withheld: false }],
    ...overrides,
  };
}

function context(staffId: string, role: StaffPrincipal['role'], lang: PageContext['lang'] = 'en'): PageContext {
  const staff: StaffPrincipal = {
    id: staffId,
    role,
    email: 'x@hotline.test',
    agency: null,
    sessionId: 's',
    sessionExpiresAt: new Date('2026-03-04T11:00:00Z'),
    language: lang,
    passwordChangeRequired: false,
  };
  // The page reads nothing of the config but whether the queue dashboard is on (the navigation).
  return { lang, staff, csrf: 'token', now: NOW, config: { bullBoardEnabled: false } as HotlineConfig, path: '/' };
}

const model = (overrides: Partial<CasePageModel>): CasePageModel => ({
  view: view(),
  exposure: null,
  reviewBlind: true,
  legalCategories: ['A', 'B', 'C'],
  mayReview: null,
  ...overrides,
});

const render = (ctx: PageContext, m: CasePageModel) => renderPage(ctx, casePage(ctx, m));

function ids(page: string): string[] {
  return [...page.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
}

describe('casePage', () => {
  it('gives the lease holder the lease, the reveal and the assessment form, every action on its key', () => {
    const ctx = context(ANALYST, 'analyst');
    const options = casePage(ctx, model({}));
    expect(options.mainData).toEqual({
      'lease-case': view().id,
      'heartbeat-url': `/api/v1/cases/${view().id}/heartbeat`,
      'leave-url': `/api/v1/cases/${view().id}/leave`,
      'lease-ms': '600000',
    });
    expect(options.shortcuts?.map((s) => s.key)).toEqual(['1–6', 'S', 'N', 'R', 'V']);
    const page = render(ctx, model({}));
    expect(page).toMatch(/id="lease-countdown"[^>]*data-countdown-to="2026-03-04T10:10:00.000Z"[^>]*>10:00</);
    expect(page).toContain('action="/cases/0190a0a0-0000-7000-8000-000000000001/assessment"');
    expect(page).toContain('action="/cases/0190a0a0-0000-7000-8000-000000000001/reveal"');
    // escaped, never markup; no content, no link out
    expect(page).toContain('Example &lt;Hosting&gt;');
    expect(page).not.toMatch(/<img|<iframe|<video|href="https?:/);
    expect(new Set(ids(page)).size).toBe(ids(page).length);
  });

  it('shows the revealed URL as text with a copy button, and no second reveal form', () => {
    const ctx = context(ANALYST, 'analyst');
    const page = render(ctx, model({ revealedUrl: 'http://bad.example.com/a?x=<b>' }));
    expect(page).toContain('<code id="revealed-url" class="url" dir="ltr">http://bad.example.com/a?x=&lt;b&gt;</code>');
    expect(page).not.toContain('href="http://bad.example.com');
    expect(page).not.toContain('/reveal"');
  });

  it('gives a colleague of the holder nothing to act with', () => {
    const ctx = context('0190a0a0-0000-7000-8000-0000000000cc', 'analyst');
    const options = casePage(ctx, model({}));
    expect(options.mainData).toBeUndefined();
    expect(options.shortcuts).toEqual([]);
    expect(render(ctx, model({}))).toContain('Another analyst is assessing this case now.');
  });

  it('shows a lapsed lease as lost, with release but no form', () => {
    const ctx = context(ANALYST, 'analyst');
    const lapsed = model({ view: view({ lease: { assignee: ANALYST, expiresAt: '2026-03-04T09:59:00.000Z' } }) });
    const page = render(ctx, lapsed);
    expect(page).toMatch(/<div id="lease-lost" class="stop" role="alert"\s*>/);
    expect(page).not.toContain('/assessment"');
    expect(page).toContain('/release"');
  });

  it('gives a blind reviewer their own verdict to give, with the verdict under review hidden', () => {
    const ctx = context(SENIOR, 'senior_analyst', 'ar');
    const pending = view({
      status: 'pending_review',
      lease: null,
      blindReview: true,
      assessments: [
        { id: 'a', kind: 'assessment', staffUserId: ANALYST, verdict: null, decision: null, classification: null, notes: null, createdAt: '2026-03-04T09:40:00.000Z' },
      ],
    });
    const options = casePage(ctx, model({ view: pending, mayReview: true }));
    expect(options.active).toBe('review');
    expect(options.shortcuts?.map((s) => s.key)).toEqual(['1–6', 'S', 'V']);
    const page = render(ctx, model({ view: pending, mayReview: true }));
    expect(page).toContain('dir="rtl"');
    expect(page).toContain('action="/cases/0190a0a0-0000-7000-8000-000000000001/review"');
    expect(page).not.toContain('name="decision"');
    expect(page).toContain('مخفي حتى تُصدر حكمك (مراجعة عمياء)');
  });

  it('offers confirm and overturn without blind review, and no review to one who took part', () => {
    const pending = view({ status: 'pending_review', lease: null, verdict: 'national' });
    const ctx = context(SENIOR, 'senior_analyst');
    const sighted = casePage(ctx, model({ view: pending, mayReview: true, reviewBlind: false }));
    expect(sighted.shortcuts?.map((s) => s.key)).toEqual(['1–6', 'C', 'O', 'S', 'V']);
    const page = render(ctx, model({ view: pending, mayReview: true, reviewBlind: false }));
    expect(page).toMatch(/id="decision-confirm"[^>]*data-key="c"/);
    expect(page).toContain('Illegal under national law');

    const took = render(ctx, model({ view: pending, mayReview: false }));
    expect(took).not.toContain('/000000000001/review"');
    expect(took).not.toContain('/000000000001/reveal"');
    expect(took).toContain('You took part in the verdict under review');
  });

  describe('an appealed confirmed case', () => {
    const appealed = (blind: boolean) =>
      view({
        status: 'pending_review',
        lease: null,
        blindReview: blind,
        verdict: blind ? null : 'baseline',
        settledBy: blind ? null : 'known_url',
        assessments: [
          {
            id: 'a',
            kind: blind ? null : 'assessment',
            staffUserId: ANALYST,
            verdict: null,
            decision: null,
            classification: null,
            notes: null,
            createdAt: '2026-03-01T09:00:00.000Z',
          },
          {
            id: 'b',
            kind: blind ? null : 'review',
            staffUserId: ANALYST,
            verdict: null,
            decision: null,
            classification: null,
            notes: null,
            createdAt: '2026-03-02T09:00:00.000Z',
          },
          { id: 'c', kind: 'appeal', staffUserId: ANALYST, verdict: null, decision: null, classification: null, notes: null, createdAt: '2026-03-04T09:00:00.000Z' },
        ],
        // What the API gives a sighted viewer; the page must not show it to a blind one even if it did.
        actions: [
          {
            id: 'd',
            kind: 'police_referral',
            channel: 'national_police',
            status: 'sent',
            reason: 'national hosting',
            lastError: null,
            updatedAt: '2026-03-02T10:00:00.000Z',
            attempts: 0,
            sentAt: '2026-03-02T10:00:00.000Z',
            recipientOrganisation: null,
            remindersSent: 0,
            nextReminderAt: null,
            agency: 'National Police',
            escalation: 'confirmed',
            acknowledgedAt: null,
            parentActionId: null,
          },
        ],
        exchange: [
          { direction: 'out', type: 'forward', status: 'delivered', lastError: null, createdAt: '2026-03-02T10:00:00.000Z', deliveredAt: '2026-03-02T10:01:00.000Z' },
        ],
        timeline: [
          { at: '2026-03-02T10:00:00.000Z', kind: blind ? null : 'actions_decided', fromStatus: null, toStatus: null, actorId: null, detail: {}, withheld: blind },
        ],
      });

    it('shows a blind reviewer no actions, no exchange, no settlement and no kind of earlier decisions', () => {
      const ctx = context(SENIOR, 'senior_analyst');
      const page = render(ctx, model({ view: appealed(true), mayReview: true }));
      for (const hidden of [
        'Actions',
        'Report to police',
        'national_police',
        'Exchange with partner hotlines',
        'forward',
        'Settled without viewing',
        'known-URL',
        'Second review',
        'Appeal review',
        '>Assessment<',
        '>Appeal<',
        'Actions decided',
      ]) {
        expect(page).not.toContain(hidden);
      }
      expect(page.match(/An earlier decision/g)).toHaveLength(3);
      expect(page).toContain('Hidden (blind review)');
      expect(page).toMatch(/<strong>An event<\/strong\s*>/);
      expect(page).toContain('Details hidden during blind review.');
    });

    it('shows them to a sighted viewer', () => {
      const ctx = context(SENIOR, 'senior_analyst');
      const page = render(ctx, model({ view: appealed(false), mayReview: false }));
      for (const shown of [
        'Report to police',
        'national_police',
        'Exchange with partner hotlines',
        'Settled without viewing',
        'Second review',
        'Appeal',
        'Actions decided',
      ]) {
        expect(page).toContain(shown);
      }
      expect(page).not.toContain('An earlier decision');
    });
  });

  describe('an assessment refused for want of a lease', () => {
    const typed = { ...EMPTY_VERDICT_FORM, verdict: 'national', ageGroup: 'pubescent', commercial: 'no', legalCategory: 'B', notes: 'line one\n<b>line two</b>' };

    it('says why from the case as it is now', () => {
      expect(unsavedReason(view({ lease: { assignee: ANALYST, expiresAt: '2026-03-04T09:59:00.000Z' } }), ANALYST)).toBe('lapsed');
      expect(unsavedReason(view({ lease: { assignee: SENIOR, expiresAt: '2026-03-04T10:15:00.000Z' } }), ANALYST)).toBe('taken');
      expect(unsavedReason(view({ status: 'queued', lease: null }), ANALYST)).toBe('returned');
      expect(unsavedReason(view({ status: 'reappeared', lease: null }), ANALYST)).toBe('returned');
      expect(unsavedReason(view({ status: 'pending_review', lease: null }), ANALYST)).toBe('moved');
    });

    it('keeps what was typed to copy, with claim next and the way back, and no form', () => {
      const ctx = context(ANALYST, 'analyst');
      const returned = model({ view: view({ status: 'queued', lease: null }), unsaved: { values: typed, reason: 'returned' } });
      const options = casePage(ctx, returned);
      expect(options.mainData).toBeUndefined();
      expect(options.shortcuts?.map((s) => s.key)).toEqual(['N']);
      const page = render(ctx, returned);
      expect(page).toContain('Your assessment was not saved');
      expect(page).toContain('the case went back to its queue');
      expect(page).toContain('Illegal under national law');
      expect(page).toMatch(/<dt>Commercial \(sold or paid for\)\?<\/dt>\s*<dd>No<\/dd>/);
      expect(page).toContain('<textarea id="unsaved-notes" rows="3" readonly dir="auto">line one\n&lt;b&gt;line two&lt;/b&gt;</textarea>');
      expect(page).toMatch(/data-copy="unsaved-notes"/);
      expect(page).toMatch(/<form method="post" action="\/queues\/general\/claim"[\s\S]*?data-key="n" aria-keyshortcuts="n"/);
      expect(page).toContain('href="/queues"');
      expect(page).not.toContain('/assessment"');
      expect(page).not.toContain('name="verdict"');
      expect(new Set(ids(page)).size).toBe(ids(page).length);
    });

    it('replaces the lost-lease alert and the other-holder notice, and names the status a case moved on to', () => {
      const ctx = context(ANALYST, 'analyst', 'fr');
      const lapsed = render(
        ctx,
        model({ view: view({ lease: { assignee: ANALYST, expiresAt: '2026-03-04T09:59:00.000Z' } }), unsaved: { values: typed, reason: 'lapsed' } }),
      );
      expect(lapsed).not.toContain('id="lease-lost"');
      expect(lapsed).toContain('le dossier retourne dans sa file');
      expect(lapsed).toContain('/release"'); // a lapsed lease not swept yet can still be given back

      const taken = render(
        ctx,
        model({ view: view({ lease: { assignee: SENIOR, expiresAt: '2026-03-04T10:15:00.000Z' } }), unsaved: { values: typed, reason: 'taken' } }),
      );
      expect(taken).toContain('un autre analyste a pris le dossier');
      expect(taken).not.toContain('Un autre analyste évalue ce dossier');

      const moved = render(
        context(ANALYST, 'analyst'),
        model({ view: view({ status: 'pending_review', lease: null }), unsaved: { values: EMPTY_VERDICT_FORM, reason: 'moved' } }),
      );
      expect(moved).toContain('it is now “Waiting for a second review”');
      expect(moved).toContain('Nothing was entered.');
    });
  });

  it('offers senior analysts an appeal of a decided case, on key A', () => {
    const decided = view({ status: 'not_illegal', lease: null, verdict: 'not_illegal' });
    const senior = casePage(context(SENIOR, 'senior_analyst'), model({ view: decided }));
    expect(senior.shortcuts?.map((s) => s.key)).toEqual(['A']);
    expect(casePage(context(ANALYST, 'analyst'), model({ view: decided })).shortcuts).toEqual([]);
  });
});

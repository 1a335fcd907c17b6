import { APPEALABLE_STATUSES, CaseStatus } from '@hotline/domain';
import { html, SafeHtml } from '@hotline/http';
import { allows } from '@hotline/security';
import type { Exposure } from '../../../claims/case-leases.service';
import type { CaseDetailView } from '../../../cases/case-view';
import { ct, type ConsoleMessageKey, formatDateTime } from '../../i18n';
import { csrfField, errorSummary, kbd, notice, type PageContext, type PageOptions, type Shortcut } from '../../layout';
import { exposureMeter } from '../exposure-meter';
import { isolatedQueueName } from '../queue-name';
import { EMPTY_VERDICT_FORM, type FormProblem, problemAnchor, type VerdictFormValues } from './case-forms';
import { clockText, labelOf } from './case-labels';
import {
  actionsSection,
  assessmentsSection,
  classificationSummary,
  exchangeSection,
  historySection,
  hostingSection,
  legalHoldBanner,
  prioritySection,
  reportsSection,
  timelineSection,
} from './case-sections';
import { classificationFields, firstChoices, notesField, problemOf, verdictFieldset } from './verdict-fields';

/** A verdict form as it is shown (again): what was typed and what is wrong with it. */
export interface VerdictFormState {
  values: VerdictFormValues;
  problems: FormProblem[];
}

/**
 * Why a verdict could not be submitted, from the case as it is now: the viewer's lease lapsed and
 * the sweeper has not given the case back yet (`lapsed`), it went back to its queue (`returned`),
 * someone else claimed it since (`taken`), or it is no longer being assessed at all (`moved`).
 */
export type UnsavedReason = 'lapsed' | 'returned' | 'taken' | 'moved';

/** An assessment refused for want of a lease: what was typed, kept on the page to copy. */
export interface UnsavedVerdict {
  values: VerdictFormValues;
  reason: UnsavedReason;
}

const BACK_IN_QUEUE: readonly string[] = ['queued', 'reappeared'];

export function unsavedReason(view: CaseDetailView, staffId: string): UnsavedReason {
  if (view.status === 'in_assessment') return view.lease?.assignee === staffId ? 'lapsed' : 'taken';
  return BACK_IN_QUEUE.includes(view.status) ? 'returned' : 'moved';
}

/** A reason form (reveal, appeal) as it is shown again. */
export interface ReasonFormState {
  reason: string;
  invalid: boolean;
}

export interface CasePageModel {
  view: CaseDetailView;
  /** The viewer's time today, while they hold the case. */
  exposure: Exposure | null;
  reviewBlind: boolean;
  legalCategories: readonly string[];
  /** Pending review and the viewer is a senior analyst: whether they took no part (may review it). */
  mayReview: boolean | null;
  /** The raw URL, right after an audited reveal: shown as text, never as a link. */
  revealedUrl?: string | null;
  notice?: string | null;
  assessment?: VerdictFormState;
  review?: VerdictFormState;
  /** An assessment refused because the viewer no longer holds the lease (a 409 page). */
  unsaved?: UnsavedVerdict;
  reveal?: ReasonFormState;
  appeal?: ReasonFormState;
}

/** What the viewer may do with the case now, from the view, their role and the clock. */
export function caseAbilities(ctx: PageContext, model: CasePageModel) {
  const role = ctx.staff!.role;
  const { view } = model;
  const heldByViewer = view.status === 'in_assessment' && view.lease?.assignee === ctx.staff!.id;
  const leaseLive = heldByViewer && Date.parse(view.lease!.expiresAt) > ctx.now.getTime();
  const reviewing = view.status === 'pending_review' && allows(role, 'cases.review') && model.mayReview === true;
  return {
    heldByViewer,
    leaseLive,
    assess: leaseLive && allows(role, 'cases.assess'),
    release: heldByViewer && allows(role, 'cases.claim'),
    review: reviewing,
    tookPart: view.status === 'pending_review' && allows(role, 'cases.review') && model.mayReview === false,
    reveal: allows(role, 'cases.reveal') && !model.revealedUrl && (leaseLive || reviewing),
    appeal: allows(role, 'cases.appeal') && APPEALABLE_STATUSES.includes(view.status as CaseStatus),
  };
}

/** The whole case page: the work column (address, lease, reveal, the form of the moment) and the context. */
export function casePage(ctx: PageContext, model: CasePageModel): PageOptions {
  const { lang } = ctx;
  const { view } = model;
  const can = caseAbilities(ctx, model);
  const claimQueue = model.unsaved && view.queue && allows(ctx.staff!.role, 'cases.claim') ? view.queue : null;
  const choices = firstChoices(model.legalCategories);
  const formProblems = model.assessment?.problems ?? model.review?.problems ?? [];
  const summary: { field?: string; message: string }[] = [
    ...formProblems.map((problem) => ({ field: problemAnchor(problem.field, choices), message: ct(lang, problem.message) })),
    ...(model.reveal?.invalid ? [{ field: 'reveal-reason', message: ct(lang, 'analyst.problem.reason') }] : []),
    ...(model.appeal?.invalid ? [{ field: 'appeal-reason', message: ct(lang, 'analyst.problem.reason') }] : []),
  ];
  const shortcuts: Shortcut[] = [];
  if (can.assess || can.review) shortcuts.push({ key: '1–6', label: ct(lang, 'analyst.keys.verdict') });
  if (can.review && !model.reviewBlind) {
    shortcuts.push({ key: 'C', label: ct(lang, 'analyst.keys.confirm') }, { key: 'O', label: ct(lang, 'analyst.keys.overturn') });
  }
  if (can.assess || can.review) shortcuts.push({ key: 'S', label: ct(lang, 'analyst.keys.submit') });
  if (can.assess) shortcuts.push({ key: 'N', label: ct(lang, 'analyst.keys.submitNext') });
  if (claimQueue) shortcuts.push({ key: 'N', label: ct(lang, 'analyst.keys.claimNext') });
  if (can.release) shortcuts.push({ key: 'R', label: ct(lang, 'analyst.keys.release') });
  if (can.reveal) shortcuts.push({ key: 'V', label: ct(lang, 'analyst.keys.reveal') });
  if (can.appeal) shortcuts.push({ key: 'A', label: ct(lang, 'analyst.keys.appeal') });

  // Actions and partner messages exist only for confirmed cases: a blind reviewer sees neither.
  const afterVerdict = view.blindReview ? '' : html`${actionsSection(ctx, view)} ${exchangeSection(ctx, view)}`;
  // A refused assessment says itself why: no second lost-lease alert, no "another analyst" notice.
  const body = html`${errorSummary(ctx, summary)} ${notice(model.notice)} ${can.heldByViewer && !model.unsaved ? leaseLost(ctx, !can.leaseLive) : ''}
    ${view.status === 'in_assessment' && !can.heldByViewer && !model.unsaved ? notice(ct(lang, 'analyst.case.otherHolder'), 'warn') : ''}
    ${can.tookPart ? notice(ct(lang, 'analyst.review.tookPart'), 'warn') : ''}
    <div class="case-layout">
      <div class="case-work">
        ${model.unsaved ? unsavedSection(ctx, model.unsaved, view, claimQueue) : ''} ${addressSection(ctx, model)}
        ${model.revealedUrl ? revealedSection(ctx, model.revealedUrl) : ''} ${can.leaseLive ? leaseSection(ctx, view) : can.release ? releaseOnly(ctx, view) : ''}
        ${can.heldByViewer && model.exposure ? exposureMeter(ctx, model.exposure) : ''} ${can.reveal ? revealForm(ctx, view, model.reveal) : ''}
        ${can.assess ? assessmentForm(ctx, model) : ''} ${can.review ? reviewForm(ctx, model) : ''} ${can.appeal ? appealForm(ctx, view, model.appeal) : ''}
      </div>
      <div class="case-context">
        ${prioritySection(ctx, view)} ${hostingSection(ctx, view)} ${reportsSection(ctx, view)} ${historySection(ctx, view)} ${assessmentsSection(ctx, view)}
        ${afterVerdict} ${timelineSection(ctx, view)}
      </div>
    </div>`;
  return {
    title: ct(lang, 'analyst.case.title'),
    active: view.status === 'pending_review' && allows(ctx.staff!.role, 'cases.review') ? 'review' : 'queues',
    body,
    shortcuts,
    // The page script renews the lease while someone works here and gives it back on leaving.
    mainData: can.leaseLive
      ? {
          'lease-case': view.id,
          'heartbeat-url': `/api/v1/cases/${view.id}/heartbeat`,
          'leave-url': `/api/v1/cases/${view.id}/leave`,
          'lease-ms': String(ctx.config.leases?.durationMs ?? 600_000),
        }
      : undefined,
  };
}

function leaseLost(ctx: PageContext, lostAlready: boolean): SafeHtml {
  const { lang } = ctx;
  return html`<div id="lease-lost" class="stop" role="alert" ${lostAlready ? '' : html`hidden`}>
    <strong>${ct(lang, 'analyst.lease.lostTitle')}</strong>
    <p>${ct(lang, 'analyst.lease.lostDetail')}</p>
    <p><a href="/queues">${ct(lang, 'analyst.lease.back')}</a></p>
  </div>`;
}

/**
 * The verdict that could not be submitted: why, and what was typed, as text to copy (the form
 * cannot be sent without a lease), with the way back to work: claim next, or the queues.
 */
function unsavedSection(ctx: PageContext, unsaved: UnsavedVerdict, view: CaseDetailView, claimQueue: string | null): SafeHtml {
  const { lang } = ctx;
  const { values } = unsaved;
  const why =
    unsaved.reason === 'moved'
      ? ct(lang, 'analyst.unsaved.moved', { status: labelOf(lang, 'analyst.status', view.status) })
      : ct(lang, `analyst.unsaved.${unsaved.reason}`);
  const entry = (label: string, value: SafeHtml | string) =>
    html`<dt>${label}</dt>
      <dd>${value}</dd>`;
  const chosen = (label: ConsoleMessageKey, prefix: string, value: string) => (value ? entry(ct(lang, label), labelOf(lang, prefix, value)) : '');
  const entries = [
    chosen('analyst.assess.verdict', 'analyst.verdict', values.verdict),
    chosen('analyst.class.ageGroup', 'analyst.ageGroup', values.ageGroup),
    chosen('analyst.class.gender', 'analyst.gender', values.gender),
    chosen('analyst.class.contentType', 'analyst.contentType', values.contentType),
    chosen('analyst.class.siteType', 'analyst.siteType', values.siteType),
    values.commercial === 'yes' || values.commercial === 'no'
      ? entry(ct(lang, 'analyst.class.commercial'), ct(lang, values.commercial === 'yes' ? 'common.yes' : 'common.no'))
      : '',
    values.legalCategory ? entry(ct(lang, 'analyst.class.legalCategory'), html`<code dir="ltr">${values.legalCategory}</code>`) : '',
  ].filter((item) => item !== '');
  return html`<section class="panel stop" id="unsaved" aria-labelledby="unsaved-title">
    <h2 id="unsaved-title">${ct(lang, 'analyst.unsaved.title')}</h2>
    <p role="alert">${why}</p>
    <p>${ct(lang, 'analyst.unsaved.kept')}</p>
    <h3>${ct(lang, 'analyst.unsaved.entered')}</h3>
    ${entries.length ? html`<dl class="facts">${entries}</dl>` : values.notes ? '' : html`<p>${ct(lang, 'analyst.unsaved.nothing')}</p>`}
    ${
      values.notes
        ? html`<label for="unsaved-notes">${ct(lang, 'analyst.unsaved.notes')}</label>
            <textarea id="unsaved-notes" rows="3" readonly dir="auto">${values.notes}</textarea>
            <p class="actions">
              <button
                type="button"
                class="secondary"
                data-copy="unsaved-notes"
                data-copy-status="unsaved-copy-status"
                data-copied-text="${ct(lang, 'analyst.reveal.copied')}"
                hidden
              >
                ${ct(lang, 'analyst.unsaved.copyNotes')}
              </button>
              <span id="unsaved-copy-status" role="status"></span>
            </p>`
        : ''
    }
    <div class="actions">
      ${
        claimQueue
          ? html`<form method="post" action="/queues/${encodeURIComponent(claimQueue)}/claim" class="inline">
              ${csrfField(ctx)}
              <button type="submit" data-key="n" aria-keyshortcuts="n">
                ${ct(lang, 'analyst.queues.claimIn', { queue: isolatedQueueName(claimQueue) })} ${kbd('N')}
              </button>
            </form>`
          : ''
      }
      <a href="/queues">${ct(lang, 'analyst.lease.back')}</a>
    </div>
  </section>`;
}

function addressSection(ctx: PageContext, model: CasePageModel): SafeHtml {
  const { lang } = ctx;
  const { view } = model;
  const fact = (label: string, value: SafeHtml | string | number) =>
    html`<dt>${label}</dt>
      <dd>${value}</dd>`;
  return html`<section class="panel" aria-labelledby="url-title">
    <h2 id="url-title">${ct(lang, 'analyst.case.urlTitle')}</h2>
    <p><code class="url" id="defanged-url" dir="ltr">${view.url}</code></p>
    <p class="help">${ct(lang, 'analyst.case.defangedHelp')}</p>
    <h3>${ct(lang, 'analyst.case.facts')}</h3>
    <dl class="facts">
      ${fact(ct(lang, 'analyst.case.status'), html`<strong>${labelOf(lang, 'analyst.status', view.status)}</strong>`)}
      ${
        view.blindReview
          ? fact(ct(lang, 'analyst.case.verdict'), ct(lang, 'analyst.case.verdictHidden'))
          : view.verdict
            ? fact(ct(lang, 'analyst.case.verdict'), labelOf(lang, 'analyst.verdict', view.verdict))
            : ''
      }
      ${view.classification ? fact(ct(lang, 'analyst.case.classification'), classificationSummary(ctx, view.classification)) : ''}
      ${view.settledBy && !view.blindReview ? fact(ct(lang, 'analyst.case.settledBy'), labelOf(lang, 'analyst.case.settledBy', view.settledBy)) : ''}
      ${fact(ct(lang, 'analyst.case.host'), html`<code dir="ltr">${view.host}</code>`)}
      ${fact(ct(lang, 'analyst.case.registrableDomain'), view.registrableDomain ? html`<code dir="ltr">${view.registrableDomain}</code>` : ct(lang, 'common.none'))}
      ${fact(ct(lang, 'analyst.case.queue'), view.queue ? html`<code dir="ltr">${view.queue}</code>` : ct(lang, 'analyst.case.noQueue'))}
      ${fact(ct(lang, 'analyst.case.priority'), ct(lang, 'analyst.case.priorityValue', { priority: view.priority }))}
      ${fact(ct(lang, 'analyst.case.reports'), view.reportCount)} ${fact(ct(lang, 'analyst.case.source'), labelOf(lang, 'analyst.source', view.source))}
      ${fact(ct(lang, 'analyst.case.firstReported'), html`<time datetime="${view.firstReportedAt}">${formatDateTime(lang, new Date(view.firstReportedAt))}</time>`)}
      ${fact(ct(lang, 'analyst.case.lastReported'), html`<time datetime="${view.lastReportedAt}">${formatDateTime(lang, new Date(view.lastReportedAt))}</time>`)}
      ${view.reappearedCount > 0 ? fact(ct(lang, 'analyst.case.reappeared'), view.reappearedCount) : ''}
    </dl>
    ${legalHoldBanner(ctx, view.legalHold)}
  </section>`;
}

/** The raw URL as text, with a copy button (the script shows it); never a link. */
function revealedSection(ctx: PageContext, url: string): SafeHtml {
  const { lang } = ctx;
  return html`<section class="panel revealed" aria-labelledby="revealed-title">
    <h2 id="revealed-title">${ct(lang, 'analyst.reveal.revealedTitle')}</h2>
    <p><code id="revealed-url" class="url" dir="ltr">${url}</code></p>
    <p class="help">${ct(lang, 'analyst.reveal.revealedHelp')}</p>
    <p class="actions">
      <button type="button" class="secondary" data-copy="revealed-url" data-copy-status="copy-status" data-copied-text="${ct(lang, 'analyst.reveal.copied')}" hidden>
        ${ct(lang, 'analyst.reveal.copy')}
      </button>
      <span id="copy-status" role="status"></span>
    </p>
  </section>`;
}

function releaseButton(ctx: PageContext, view: CaseDetailView): SafeHtml {
  return html`<form method="post" action="/cases/${view.id}/release" class="inline">
    ${csrfField(ctx)}
    <button type="submit" class="secondary" data-key="r" aria-keyshortcuts="r" aria-describedby="release-help">
      ${ct(ctx.lang, 'analyst.lease.release')} ${kbd('R')}
    </button>
  </form>`;
}

function leaseSection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  const expiresAt = view.lease!.expiresAt;
  return html`<section class="panel" aria-labelledby="lease-title">
    <h2 id="lease-title">${ct(lang, 'analyst.lease.title')}</h2>
    <p>
      ${ct(lang, 'analyst.lease.left')}
      <span id="lease-countdown" class="countdown" dir="ltr" data-countdown-to="${expiresAt}" data-expired-text="${ct(lang, 'analyst.lease.expired')}"
        >${clockText(Date.parse(expiresAt) - ctx.now.getTime())}</span
      >
    </p>
    <p class="help">${ct(lang, 'analyst.lease.help')}</p>
    <p class="help" id="release-help">${ct(lang, 'analyst.lease.releaseHelp')}</p>
    <div class="actions">${releaseButton(ctx, view)}</div>
  </section>`;
}

/** A lease that lapsed but was not swept yet can still be given back. */
function releaseOnly(ctx: PageContext, view: CaseDetailView): SafeHtml {
  return html`<section class="panel" aria-labelledby="lease-title">
    <h2 id="lease-title">${ct(ctx.lang, 'analyst.lease.title')}</h2>
    <p class="help" id="release-help">${ct(ctx.lang, 'analyst.lease.releaseHelp')}</p>
    <div class="actions">${releaseButton(ctx, view)}</div>
  </section>`;
}

function reasonForm(
  ctx: PageContext,
  options: { id: string; action: string; key: string; title: string; label: string; help: string; submit: string; state: ReasonFormState | undefined },
): SafeHtml {
  const { lang } = ctx;
  const invalid = options.state?.invalid ?? false;
  const field = `${options.id}-reason`;
  return html`<section class="panel" aria-labelledby="${options.id}-title">
    <h2 id="${options.id}-title">${options.title}</h2>
    <form method="post" action="${options.action}" novalidate>
      ${csrfField(ctx)}
      <div class="${invalid ? 'invalid' : ''}">
        <label for="${field}">${options.label} ${kbd(options.key.toUpperCase())}</label>
        <p class="help" id="${field}-help">${options.help}</p>
        ${invalid ? html`<p class="field-error" id="${field}-error">${ct(lang, 'analyst.problem.reason')}</p>` : ''}
        <textarea
          id="${field}"
          name="reason"
          rows="2"
          minlength="10"
          maxlength="500"
          data-key="${options.key}"
          aria-keyshortcuts="${options.key}"
          data-key-focus
          aria-describedby="${field}-help${invalid ? ` ${field}-error` : ''}"
        >
${options.state?.reason ?? ''}</textarea>
      </div>
      <div class="actions"><button type="submit" class="secondary">${options.submit}</button></div>
    </form>
  </section>`;
}

function revealForm(ctx: PageContext, view: CaseDetailView, state: ReasonFormState | undefined): SafeHtml {
  const { lang } = ctx;
  return reasonForm(ctx, {
    id: 'reveal',
    action: `/cases/${view.id}/reveal`,
    key: 'v',
    title: ct(lang, 'analyst.reveal.title'),
    label: ct(lang, 'analyst.reveal.reason'),
    help: ct(lang, 'analyst.reveal.reasonHelp'),
    submit: ct(lang, 'analyst.reveal.submit'),
    state,
  });
}

function appealForm(ctx: PageContext, view: CaseDetailView, state: ReasonFormState | undefined): SafeHtml {
  const { lang } = ctx;
  return reasonForm(ctx, {
    id: 'appeal',
    action: `/cases/${view.id}/appeal`,
    key: 'a',
    title: ct(lang, 'analyst.appeal.title'),
    label: ct(lang, 'analyst.appeal.reason'),
    help: ct(lang, 'analyst.appeal.reasonHelp'),
    submit: ct(lang, 'analyst.appeal.submit'),
    state,
  });
}

function submitButton(label: string, key: string, options: { name?: string; value?: string; secondary?: boolean } = {}): SafeHtml {
  return html`<button
    type="submit"
    ${options.name ? html`name="${options.name}" value="${options.value ?? ''}"` : ''}
    ${options.secondary ? html`class="secondary"` : ''}
    data-key="${key}"
    aria-keyshortcuts="${key}"
  >
    ${label} ${kbd(key.toUpperCase())}
  </button>`;
}

function assessmentForm(ctx: PageContext, model: CasePageModel): SafeHtml {
  const { lang } = ctx;
  const state = model.assessment ?? { values: EMPTY_VERDICT_FORM, problems: [] };
  return html`<section class="panel" aria-labelledby="assess-title">
    <h2 id="assess-title">${ct(lang, 'analyst.assess.title')}</h2>
    <form method="post" action="/cases/${model.view.id}/assessment" novalidate>
      ${csrfField(ctx)} ${verdictFieldset(ctx, { legend: ct(lang, 'analyst.assess.verdict'), selected: state.values.verdict, problems: state.problems })}
      ${classificationFields(ctx, { values: state.values, problems: state.problems, legalCategories: model.legalCategories })}
      ${notesField(ctx, state.values, state.problems)}
      <div class="actions">
        ${submitButton(ct(lang, 'analyst.assess.submit'), 's', { name: 'then', value: 'queues' })}
        ${submitButton(ct(lang, 'analyst.assess.submitNext'), 'n', { name: 'then', value: 'next', secondary: true })}
      </div>
    </form>
  </section>`;
}

function reviewForm(ctx: PageContext, model: CasePageModel): SafeHtml {
  const { lang } = ctx;
  const state = model.review ?? { values: EMPTY_VERDICT_FORM, problems: [] };
  const blind = model.reviewBlind;
  const decisionProblem = problemOf(state.problems, 'decision');
  const decision = (value: 'confirm' | 'overturn', key: string) =>
    html`<label class="choice" for="decision-${value}"
      ><input
        type="radio"
        name="decision"
        id="decision-${value}"
        value="${value}"
        ${state.values.decision === value ? html`checked` : ''}
        data-key="${key}"
        aria-keyshortcuts="${key}"
      />
      ${kbd(key.toUpperCase())} ${ct(lang, value === 'confirm' ? 'analyst.review.confirm' : 'analyst.review.overturn')}</label
    >`;
  return html`<section class="panel" aria-labelledby="review-title">
    <h2 id="review-title">${ct(lang, 'analyst.review.title')}</h2>
    <p class="help">${ct(lang, blind ? 'analyst.review.blindHelp' : 'analyst.review.sightedHelp')}</p>
    <form method="post" action="/cases/${model.view.id}/review" novalidate>
      ${csrfField(ctx)}
      ${
        blind
          ? ''
          : html`<fieldset class="${decisionProblem ? 'invalid' : ''}" ${decisionProblem ? html`aria-describedby="decision-error"` : ''}>
              <legend>${ct(lang, 'analyst.review.decision')}</legend>
              ${decisionProblem ? html`<p class="field-error" id="decision-error">${ct(lang, decisionProblem.message)}</p>` : ''}
              <div class="choices">${decision('confirm', 'c')} ${decision('overturn', 'o')}</div>
            </fieldset>`
      }
      ${verdictFieldset(ctx, { legend: ct(lang, blind ? 'analyst.review.ownVerdict' : 'analyst.review.ownVerdictSighted'), selected: state.values.verdict, problems: state.problems })}
      ${classificationFields(ctx, { values: state.values, problems: state.problems, legalCategories: model.legalCategories })}
      ${notesField(ctx, state.values, state.problems)}
      <div class="actions">${submitButton(ct(lang, 'analyst.review.submit'), 's')}</div>
    </form>
  </section>`;
}

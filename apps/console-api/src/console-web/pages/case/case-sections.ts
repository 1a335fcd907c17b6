import type { Classification } from '@hotline/domain';
import { html, SafeHtml } from '@hotline/http';
import type { CaseActionView, CaseDetailView, TimelineEventView } from '../../../cases/case-view';
import { ct, formatDateTime } from '../../i18n';
import { type PageContext, scrollableTable } from '../../layout';
import { hasLabel, labelOf } from './case-labels';

/**
 * The case's context, read-only: priority factors, reports (metadata only), hosting trace, the
 * domain's earlier verdicts, assessments, actions, exchange messages and the timeline (a blind
 * reviewer sees neither actions nor exchange, nor the kind of earlier assessments). Every text
 * that came from outside (a resolver's error, a partner's reason) is escaped by `html`; URLs and
 * host names arrive defanged from the view.
 */

const REPORTS_LISTED = 100;
const DETAIL_TEXT_MAX = 200;
const STAFF_ID_KEYS = new Set(['by', 'holder']);

const when = (ctx: PageContext, iso: string | null): SafeHtml =>
  iso ? html`<time datetime="${iso}">${formatDateTime(ctx.lang, new Date(iso))}</time>` : html`${ct(ctx.lang, 'common.none')}`;

/** Technical text (codes, hosts, addresses) is left to right whatever the page's direction. */
const code = (text: string | number): SafeHtml => html`<code dir="ltr">${text}</code>`;

/** A value's word, or the value as code when the catalogue has none. */
const word = (ctx: PageContext, prefix: string, value: string): SafeHtml => (hasLabel(prefix, value) ? html`${labelOf(ctx.lang, prefix, value)}` : code(value));

export function classificationSummary(ctx: PageContext, classification: Classification): SafeHtml {
  const { lang } = ctx;
  return html`${labelOf(lang, 'analyst.ageGroup', classification.ageGroup)} · ${labelOf(lang, 'analyst.gender', classification.gender)} ·
  ${labelOf(lang, 'analyst.contentType', classification.contentType)} · ${labelOf(lang, 'analyst.siteType', classification.siteType)} ·
  ${ct(lang, 'analyst.class.commercial')} ${ct(lang, classification.commercial ? 'common.yes' : 'common.no')} · ${ct(lang, 'analyst.class.legalCategory')}
  ${code(classification.legalCategory)}`;
}

export function prioritySection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  return html`<section class="panel" aria-labelledby="priority-title">
    <h2 id="priority-title">${ct(lang, 'analyst.priority.title')}</h2>
    ${
      view.priorityFactors.length === 0
        ? html`<p>${ct(lang, 'analyst.priority.none')}</p>`
        : scrollableTable(
            'priority-title',
            html`<table>
              <caption class="visually-hidden">
                ${ct(lang, 'analyst.priority.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${ct(lang, 'analyst.priority.factor')}</th>
                  <th scope="col" class="num">${ct(lang, 'analyst.priority.points')}</th>
                  <th scope="col">${ct(lang, 'analyst.priority.detail')}</th>
                </tr>
              </thead>
              <tbody>
                ${view.priorityFactors.map(
                  (factor) =>
                    html`<tr>
                      <th scope="row">${word(ctx, 'analyst.factor', factor.factor)}</th>
                      <td class="num">${factor.points}</td>
                      <td><span lang="en" dir="ltr">${factor.detail}</span></td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
          )
    }
  </section>`;
}

export function reportsSection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  return html`<section class="panel" aria-labelledby="reports-title">
    <h2 id="reports-title">${ct(lang, 'analyst.reports.title')}</h2>
    ${view.reportCount > view.reports.length ? html`<p class="help">${ct(lang, 'analyst.reports.shown', { shown: Math.min(REPORTS_LISTED, view.reports.length), count: view.reportCount })}</p>` : ''}
    <p class="help" id="reports-caption">${ct(lang, 'analyst.reports.caption')}</p>
    ${scrollableTable(
      'reports-title',
      html`<table aria-describedby="reports-caption">
        <caption class="visually-hidden">
          ${ct(lang, 'analyst.reports.title')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${ct(lang, 'analyst.reports.received')}</th>
            <th scope="col">${ct(lang, 'analyst.reports.source')}</th>
            <th scope="col">${ct(lang, 'analyst.reports.language')}</th>
            <th scope="col">${ct(lang, 'analyst.reports.contentType')}</th>
            <th scope="col">${ct(lang, 'analyst.reports.victim')}</th>
          </tr>
        </thead>
        <tbody>
          ${view.reports.map(
            (report) =>
              html`<tr>
                <th scope="row">${when(ctx, report.receivedAt)}</th>
                <td>${word(ctx, 'analyst.reportSource', report.source)}</td>
                <td>${code(report.language)}</td>
                <td>${report.contentType ? word(ctx, 'analyst.reported', report.contentType) : ct(lang, 'analyst.reports.notSaid')}</td>
                <td>${ct(lang, report.victimIdentifiable ? 'common.yes' : 'common.no')}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
    )}
  </section>`;
}

export function hostingSection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  const { hosting } = view;
  const unknown = ct(lang, 'analyst.hosting.unknown');
  return html`<section class="panel" aria-labelledby="hosting-title">
    <h2 id="hosting-title">${ct(lang, 'analyst.hosting.title')}</h2>
    <dl class="facts">
      <dt>${ct(lang, 'analyst.hosting.status')}</dt>
      <dd>${word(ctx, 'analyst.hostingStatus', hosting.status)}</dd>
      <dt>${ct(lang, 'analyst.hosting.class')}</dt>
      <dd>${word(ctx, 'analyst.hostingClass', hosting.class)}</dd>
      <dt>${ct(lang, 'analyst.hosting.ip')}</dt>
      <dd>${hosting.ip ? code(hosting.ip) : unknown}</dd>
      <dt>${ct(lang, 'analyst.hosting.country')}</dt>
      <dd>${hosting.country ? code(hosting.country) : unknown}</dd>
      <dt>${ct(lang, 'analyst.hosting.asn')}</dt>
      <dd>${hosting.asn !== null ? code(`AS${hosting.asn}`) : unknown}</dd>
      <dt>${ct(lang, 'analyst.hosting.organisation')}</dt>
      <dd>${hosting.organisation ? html`<span dir="auto">${hosting.organisation}</span>` : unknown}</dd>
      ${
        hosting.cnames.length
          ? html`<dt>${ct(lang, 'analyst.hosting.cnames')}</dt>
              <dd>
                <ol class="cnames">
                  ${hosting.cnames.map((name) => html`<li>${code(name)}</li>`)}
                </ol>
              </dd>`
          : ''
      }
      ${
        hosting.error
          ? html`<dt>${ct(lang, 'analyst.hosting.error')}</dt>
              <dd><span lang="en" dir="ltr">${hosting.error}</span></dd>`
          : ''
      }
    </dl>
  </section>`;
}

export function historySection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  const history = view.domainHistory;
  const counts = history ? Object.entries(history.counts) : [];
  return html`<section class="panel" aria-labelledby="history-title">
    <h2 id="history-title">${ct(lang, 'analyst.history.title')}</h2>
    ${
      !history
        ? html`<p>${ct(lang, 'analyst.history.noDomain')}</p>`
        : counts.length === 0
          ? html`<p>${ct(lang, 'analyst.history.none')}</p>`
          : html`${scrollableTable(
              'history-title history-counts-caption',
              html`<table>
                <caption id="history-counts-caption">
                  ${ct(lang, 'analyst.history.countsCaption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${ct(lang, 'analyst.case.verdict')}</th>
                    <th scope="col" class="num">${ct(lang, 'analyst.history.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${counts.map(
                    ([verdict, n]) =>
                      html`<tr>
                        <th scope="row">${word(ctx, 'analyst.verdict', verdict)}</th>
                        <td class="num">${n}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`,
            )}
            ${scrollableTable(
              'history-title history-latest-caption',
              html`<table>
                <caption id="history-latest-caption">
                  ${ct(lang, 'analyst.history.latestCaption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${ct(lang, 'analyst.history.case')}</th>
                    <th scope="col">${ct(lang, 'analyst.case.verdict')}</th>
                    <th scope="col">${ct(lang, 'analyst.history.assessed')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${history.latest.map(
                    (entry) =>
                      html`<tr>
                        <th scope="row"><a href="/cases/${entry.caseId}">${code(entry.caseId.slice(-12))}</a></th>
                        <td>${word(ctx, 'analyst.verdict', entry.verdict)}</td>
                        <td>${when(ctx, entry.assessedAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`,
            )}`
    }
  </section>`;
}

export function assessmentsSection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  const who = (id: string) => ct(lang, id === ctx.staff?.id ? 'analyst.assessments.you' : 'analyst.assessments.colleague');
  const hidden = ct(lang, 'analyst.assessments.hidden');
  // Blind review: which kind each entry was would tell (a second review follows only an illegal verdict).
  const withheldKind = ct(lang, 'analyst.assessments.earlierDecision');
  return html`<section class="panel" aria-labelledby="assessments-title">
    <h2 id="assessments-title">${ct(lang, 'analyst.assessments.title')}</h2>
    ${
      view.assessments.length === 0
        ? html`<p>${ct(lang, 'analyst.assessments.none')}</p>`
        : scrollableTable(
            'assessments-title',
            html`<table>
              <caption class="visually-hidden">
                ${ct(lang, 'analyst.assessments.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${ct(lang, 'analyst.assessments.kind')}</th>
                  <th scope="col">${ct(lang, 'analyst.assessments.by')}</th>
                  <th scope="col">${ct(lang, 'analyst.assessments.outcome')}</th>
                  <th scope="col">${ct(lang, 'analyst.assessments.when')}</th>
                </tr>
              </thead>
              <tbody>
                ${view.assessments.map(
                  (row) =>
                    html`<tr>
                      <th scope="row">${view.blindReview || row.kind === null ? withheldKind : word(ctx, 'analyst.assessmentKind', row.kind)}</th>
                      <td>${who(row.staffUserId)}</td>
                      <td>
                        ${
                          view.blindReview
                            ? hidden
                            : html`${row.decision ? html`${word(ctx, 'analyst.decision', row.decision)}: ` : ''}${row.verdict ? word(ctx, 'analyst.verdict', row.verdict) : ''}
                              ${row.classification ? html`<div class="help">${classificationSummary(ctx, row.classification)}</div>` : ''}
                              ${row.notes ? html`<p class="notes" dir="auto">${row.notes}</p>` : ''}`
                        }
                      </td>
                      <td>${when(ctx, row.createdAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
          )
    }
  </section>`;
}

/** "Police hold: <reason> (since …, <agency>)", when a hold is in force on the case's notices. */
export function holdBanner(ctx: PageContext, hold: CaseDetailView['hold']): SafeHtml {
  if (!hold) return html``;
  const MARK = '\u0000';
  const [before, after] = ct(ctx.lang, 'analyst.hold.banner', { reason: MARK, since: formatDateTime(ctx.lang, new Date(hold.placedAt)), agency: hold.agency }).split(
    MARK,
  );
  return html`<div class="notice warn" role="status" id="notice-hold">
    <p>
      <strong>${before}<span dir="auto">${hold.reason}</span>${after}</strong>
    </p>
    <p class="help">${ct(ctx.lang, 'analyst.hold.help')}</p>
  </div>`;
}

/** "On legal hold since …, reason: …", when a legal hold is in force: the retention purge takes nothing of the case. */
export function legalHoldBanner(ctx: PageContext, hold: CaseDetailView['legalHold']): SafeHtml {
  if (!hold) return html``;
  const MARK = '\u0000';
  const [before, after] = ct(ctx.lang, 'analyst.legalHold.banner', { reason: MARK, since: formatDateTime(ctx.lang, new Date(hold.placedAt)) }).split(MARK);
  return html`<div class="notice" role="status" id="legal-hold">
    <p>
      <strong>${before}<span dir="auto">${hold.reason}</span>${after}</strong>
    </p>
    <p class="help">${ct(ctx.lang, 'analyst.legalHold.help')}</p>
  </div>`;
}

/** The last availability check: when, what it found (a word) and the status code; nothing else was kept. */
function removalCheckLine(ctx: PageContext, check: CaseDetailView['removalCheck']): SafeHtml {
  if (!check) return html``;
  const status = check.httpStatus === null ? '' : html` (${code(`HTTP ${check.httpStatus}`)})`;
  return html`<p id="removal-check">
    ${ct(ctx.lang, 'analyst.removalCheck.last')}: ${word(ctx, 'analyst.removalCheck', check.outcome)}${status}, ${when(ctx, check.checkedAt)}
  </p>`;
}

/** How an action's delivery went: when it was sent, attempts, the last error, reminders, and for a referral its agency and acknowledgement. */
function deliveryOf(ctx: PageContext, action: CaseActionView): SafeHtml {
  const { lang } = ctx;
  const line = (label: Parameters<typeof ct>[1], value: SafeHtml | string | number) => html`<div class="help">${ct(lang, label)}: ${value}</div>`;
  const referral = action.kind === 'police_referral';
  const notice = action.kind === 'notice';
  return html`${action.sentAt ? line('analyst.actions.sentAt', when(ctx, action.sentAt)) : ''}
  ${action.attempts > 0 ? line('analyst.actions.attempts', action.attempts) : ''}
  ${action.lastError ? line('analyst.actions.lastError', html`<span lang="en" dir="ltr">${action.lastError}</span>`) : ''}
  ${notice ? line('analyst.actions.reminders', action.remindersSent) : ''}
  ${notice && action.nextReminderAt ? line('analyst.actions.nextReminder', when(ctx, action.nextReminderAt)) : ''}
  ${referral ? (action.acknowledgedAt ? line('analyst.actions.acknowledgedAt', when(ctx, action.acknowledgedAt)) : html`<div class="help">${ct(lang, 'analyst.actions.notAcknowledged')}</div>`) : ''}`;
}

export function actionsSection(ctx: PageContext, view: Pick<CaseDetailView, 'actions' | 'hold' | 'removalCheck'>): SafeHtml {
  const { lang } = ctx;
  return html`<section class="panel" aria-labelledby="actions-title">
    <h2 id="actions-title">${ct(lang, 'analyst.actions.title')}</h2>
    ${holdBanner(ctx, view.hold)} ${removalCheckLine(ctx, view.removalCheck)}
    ${
      view.actions.length === 0
        ? html`<p>${ct(lang, 'analyst.actions.none')}</p>`
        : // Wide (delivery details): it may scroll, so it takes the keyboard focus to be scrolled.
          scrollableTable(
            'actions-title',
            html`<table class="case-actions">
              <caption class="visually-hidden">
                ${ct(lang, 'analyst.actions.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${ct(lang, 'analyst.actions.kind')}</th>
                  <th scope="col">${ct(lang, 'analyst.actions.channel')}</th>
                  <th scope="col">${ct(lang, 'analyst.actions.status')}</th>
                  <th scope="col">${ct(lang, 'analyst.actions.reason')}</th>
                  <th scope="col">${ct(lang, 'analyst.actions.updated')}</th>
                </tr>
              </thead>
              <tbody>
                ${view.actions.map(
                  (action) =>
                    html`<tr data-action-id="${action.id}">
                      <th scope="row">
                        ${word(ctx, 'analyst.actionKind', action.kind)}
                        ${action.escalation ? html`<div class="help">${ct(lang, 'analyst.actions.escalation')}: ${word(ctx, 'analyst.escalation', action.escalation)}</div>` : ''}
                      </th>
                      <td>
                        ${code(action.channel)}
                        ${action.agency ? html`<div class="help">${ct(lang, 'analyst.actions.agency')}: <span dir="auto">${action.agency}</span></div>` : ''}
                        ${action.recipientOrganisation ? html`<div class="help">${ct(lang, 'analyst.actions.recipient')}: <span dir="auto">${action.recipientOrganisation}</span></div>` : ''}
                      </td>
                      <td>${word(ctx, 'analyst.actionStatus', action.status)} ${deliveryOf(ctx, action)}</td>
                      <td><span lang="en" dir="ltr">${action.reason}</span></td>
                      <td>${when(ctx, action.updatedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
          )
    }
  </section>`;
}

export function exchangeSection(ctx: PageContext, view: CaseDetailView): SafeHtml {
  const { lang } = ctx;
  return html`<section class="panel" aria-labelledby="exchange-title">
    <h2 id="exchange-title">${ct(lang, 'analyst.exchange.title')}</h2>
    ${
      view.exchange.length === 0
        ? html`<p>${ct(lang, 'analyst.exchange.none')}</p>`
        : scrollableTable(
            'exchange-title',
            html`<table>
              <caption class="visually-hidden">
                ${ct(lang, 'analyst.exchange.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${ct(lang, 'analyst.exchange.type')}</th>
                  <th scope="col">${ct(lang, 'analyst.exchange.direction')}</th>
                  <th scope="col">${ct(lang, 'analyst.exchange.status')}</th>
                  <th scope="col">${ct(lang, 'analyst.exchange.created')}</th>
                  <th scope="col">${ct(lang, 'analyst.exchange.delivered')}</th>
                </tr>
              </thead>
              <tbody>
                ${view.exchange.map(
                  (message) =>
                    html`<tr>
                      <th scope="row">${code(message.type)}</th>
                      <td>${word(ctx, 'analyst.direction', message.direction)}</td>
                      <td>
                        ${word(ctx, 'analyst.exchangeStatus', message.status)}
                        ${message.lastError ? html`<div class="help"><span lang="en" dir="ltr">${message.lastError}</span></div>` : ''}
                      </td>
                      <td>${when(ctx, message.createdAt)}</td>
                      <td>${message.deliveredAt ? when(ctx, message.deliveredAt) : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
          )
    }
  </section>`;
}

/** One value of an event's detail, short: objects and lists as compact JSON. */
export function detailText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length > DETAIL_TEXT_MAX ? `${text.slice(0, DETAIL_TEXT_MAX - 1)}…` : text;
}

function timelineEntry(ctx: PageContext, event: TimelineEventView): SafeHtml {
  const { lang } = ctx;
  const status = (value: string) => labelOf(lang, 'analyst.status', value);
  const change =
    event.fromStatus && event.toStatus
      ? ct(lang, 'analyst.timeline.change', { from: status(event.fromStatus), to: status(event.toStatus) })
      : event.toStatus && event.kind === 'created'
        ? ct(lang, 'analyst.timeline.opened', { to: status(event.toStatus) })
        : null;
  // Staff ids (who claimed, whose lease lapsed) say nothing to a reader: "by you" says what matters.
  const details = Object.entries(event.detail).filter(([key, value]) => !STAFF_ID_KEYS.has(key) && value !== null && value !== undefined);
  return html`<li>
    ${when(ctx, event.at)}
    <strong>${event.kind === null ? ct(lang, 'analyst.timeline.withheldEvent') : word(ctx, 'analyst.event', event.kind)}</strong
    >${change ? html` · ${change}` : ''}${event.actorId && event.actorId === ctx.staff?.id ? html` · ${ct(lang, 'analyst.timeline.byYou')}` : ''}
    ${
      details.length
        ? html`<ul class="event-detail">
            ${details.map(([key, value]) => html`<li><code dir="ltr">${key}: ${detailText(value)}</code></li>`)}
          </ul>`
        : ''
    }
    ${event.withheld ? html`<p class="help">${ct(lang, 'analyst.timeline.withheld')}</p>` : ''}
  </li>`;
}

export function timelineSection(ctx: PageContext, view: Pick<CaseDetailView, 'timeline'>): SafeHtml {
  const { lang } = ctx;
  return html`<section class="panel" aria-labelledby="timeline-title">
    <h2 id="timeline-title">${ct(lang, 'analyst.timeline.title')}</h2>
    ${
      view.timeline.length === 0
        ? html`<p>${ct(lang, 'analyst.timeline.none')}</p>`
        : html`<ol class="timeline" id="timeline">
            ${view.timeline.map((event) => timelineEntry(ctx, event))}
          </ol>`
    }
  </section>`;
}

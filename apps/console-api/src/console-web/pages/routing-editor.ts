import { CASE_SOURCES, HOSTING_CLASSES, MAX_ROUTING_RULES, REPORTED_CONTENT_TYPES, type RoutingRule } from '@hotline/domain';
import { html, type SafeHtml } from '@hotline/http';
import { ct, type ConsoleMessageKey } from '../i18n';
import { csrfField, errorSummary, kbd, type PageContext } from '../layout';

/**
 * The routing rules editor: the rule set as a form (one fieldset per rule, its conditions as
 * inputs), the form back into a rule set for the domain's validator (validateRoutingRules, the
 * gate the API uses too), and the validator's errors (`rules[2].match.minPriority must be ...`)
 * put back next to the rule and field they are about. Pure: the page controller does the I/O.
 */

/** The conditions chosen from a fixed list (checkboxes; none ticked: any). */
export const MATCH_CHOICES = { contentTypes: REPORTED_CONTENT_TYPES, hosting: HOSTING_CLASSES, sources: CASE_SOURCES } as const;
type ChoiceField = keyof typeof MATCH_CHOICES;
const CHOICE_FIELDS = Object.keys(MATCH_CHOICES) as ChoiceField[];

/** A field of a rule's fieldset; `match` is the conditions as a whole, `rule` the rule as a whole. */
export type RuleField = 'rule' | 'order' | 'name' | 'queue' | 'match' | 'minPriority' | 'maxPriority' | ChoiceField | 'languages' | 'reappeared';

/** One rule as the form holds it: what was typed, not yet checked. */
export interface RuleDraft {
  /** The fieldset's number in the form (names and ids), stable while the form is edited. */
  key: number;
  /** Position in the saved list, 1 first. */
  order: string;
  name: string;
  queue: string;
  minPriority: string;
  maxPriority: string;
  contentTypes: string[];
  hosting: string[];
  sources: string[];
  /** Comma-separated primary language subtags. */
  languages: string;
  /** '' any, 'true', 'false'. */
  reappeared: string;
  remove: boolean;
}

/** A refusal, in the console's words, placed on a rule's field (or on the form when `key` is null). */
export interface RoutingProblem {
  key: number | null;
  field: RuleField | null;
  message: ConsoleMessageKey;
  params?: Record<string, string | number>;
}

export function draftsOfRules(rules: readonly RoutingRule[]): RuleDraft[] {
  return rules.map((rule, i) => ({
    key: i,
    order: String(i + 1),
    name: rule.name,
    queue: rule.queue,
    minPriority: rule.match.minPriority === undefined ? '' : String(rule.match.minPriority),
    maxPriority: rule.match.maxPriority === undefined ? '' : String(rule.match.maxPriority),
    contentTypes: [...(rule.match.contentTypes ?? [])],
    hosting: [...(rule.match.hosting ?? [])],
    sources: [...(rule.match.sources ?? [])],
    languages: (rule.match.languages ?? []).join(', '),
    reappeared: rule.match.reappeared === undefined ? '' : String(rule.match.reappeared),
    remove: false,
  }));
}

export function blankDraft(key: number, order: number): RuleDraft {
  return {
    key,
    order: String(order),
    name: '',
    queue: '',
    minPriority: '',
    maxPriority: '',
    contentTypes: [],
    hosting: [],
    sources: [],
    languages: '',
    reappeared: '',
    remove: false,
  };
}

const FIELD_NAME = /^r(\d{1,3})\.([A-Za-z]+)$/;

/** The rules of a posted form (fields `r<key>.<field>`), in the form's order; at most one more than a set may hold. */
export function draftsOfForm(form: unknown): RuleDraft[] {
  if (!form || typeof form !== 'object' || Array.isArray(form)) return [];
  const values = form as Record<string, unknown>;
  const keys = new Set<number>();
  for (const name of Object.keys(values)) {
    const found = FIELD_NAME.exec(name);
    if (found) keys.add(Number(found[1]));
  }
  const text = (key: number, field: string, max: number) => {
    const value = values[`r${key}.${field}`];
    return typeof value === 'string' ? value.slice(0, max) : '';
  };
  const list = (key: number, field: string) => {
    const value = values[`r${key}.${field}`];
    return (Array.isArray(value) ? value : [value])
      .filter((item): item is string => typeof item === 'string')
      .slice(0, 20)
      .map((item) => item.slice(0, 40));
  };
  return [...keys]
    .sort((a, b) => a - b)
    .slice(0, MAX_ROUTING_RULES + 1)
    .map((key) => ({
      key,
      order: text(key, 'order', 10),
      name: text(key, 'name', 200),
      queue: text(key, 'queue', 100),
      minPriority: text(key, 'minPriority', 10),
      maxPriority: text(key, 'maxPriority', 10),
      contentTypes: list(key, 'contentTypes'),
      hosting: list(key, 'hosting'),
      sources: list(key, 'sources'),
      languages: text(key, 'languages', 1000),
      reappeared: text(key, 'reappeared', 10),
      remove: text(key, 'remove', 10) !== '',
    }));
}

const ORDER = /^\s*\d{1,3}\s*$/;

/** The drafts in saving order (by their position field; ties keep the form's order). */
function inSavingOrder(drafts: readonly RuleDraft[]): RuleDraft[] {
  return drafts
    .map((draft, i) => ({ draft, i }))
    .sort((a, b) => Number(a.draft.order) - Number(b.draft.order) || a.i - b.i)
    .map(({ draft }) => draft);
}

/**
 * The form with one more, empty rule: just before the last (the catch-all must stay last), the
 * positions renumbered in the order the form would be saved in. Returns the new rule's key.
 */
export function withNewRule(drafts: readonly RuleDraft[]): { drafts: RuleDraft[]; added: number } {
  const added = drafts.reduce((max, draft) => Math.max(max, draft.key), -1) + 1;
  const ordered = drafts.every((draft) => ORDER.test(draft.order)) ? inSavingOrder(drafts) : [...drafts];
  const at = Math.max(0, ordered.length - 1);
  const next = [...ordered.slice(0, at), blankDraft(added, 0), ...ordered.slice(at)].map((draft, i) => ({ ...draft, order: String(i + 1) }));
  return { drafts: next, added };
}

/** A number field as typed: an integer becomes a number, anything else stays text for the validator to refuse. */
function numberOrText(value: string): unknown {
  const trimmed = value.trim();
  return /^-?\d{1,6}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** One draft as the rule the validator checks: empty fields are conditions left out. */
export function ruleInputOf(draft: RuleDraft): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (draft.minPriority.trim() !== '') match.minPriority = numberOrText(draft.minPriority);
  if (draft.maxPriority.trim() !== '') match.maxPriority = numberOrText(draft.maxPriority);
  for (const field of CHOICE_FIELDS) if (draft[field].length > 0) match[field] = [...draft[field]];
  const languages = draft.languages
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((tag) => tag.toLowerCase());
  if (languages.length > 0) match.languages = languages;
  if (draft.reappeared !== '') match.reappeared = draft.reappeared === 'true' ? true : draft.reappeared === 'false' ? false : draft.reappeared;
  return { name: draft.name.trim(), match, queue: draft.queue };
}

/**
 * What the form would save: the kept rules in saving order as validator input, each input's draft
 * key (to place the validator's `rules[i]` errors), and the positions that are not numbers (then
 * the form's own order is checked, and nothing is saved).
 */
export function ruleSetOfDrafts(drafts: readonly RuleDraft[]): { input: Record<string, unknown>[]; keys: number[]; problems: RoutingProblem[] } {
  const kept = drafts.filter((draft) => !draft.remove);
  const problems: RoutingProblem[] = kept
    .filter((draft) => !ORDER.test(draft.order))
    .map((draft) => ({ key: draft.key, field: 'order', message: 'admin.routing.error.order' }));
  const ordered = problems.length > 0 ? kept : inSavingOrder(kept);
  return { input: ordered.map(ruleInputOf), keys: ordered.map((draft) => draft.key), problems };
}

const AT = String.raw`^rules\[(\d+)\]`;
const LIST_FIELD = '(contentTypes|hosting|sources|languages)';
const PRIORITY_FIELD = '(minPriority|maxPriority)';

/**
 * The validator's errors (see validateRoutingRules) as problems on the drafts: `rules[i]` is the
 * i-th rule of `input`, whose draft key is `keys[i]`; `numberOf` gives a draft's number as the
 * form shows it (for "rule 3 already has this name"). An error this does not know stays a
 * problem of its rule (or of the form), with the validator's own words.
 */
export function routingProblemsOf(errors: readonly string[], keys: readonly number[], input: readonly unknown[], numberOf: (key: number) => number): RoutingProblem[] {
  return errors.map((error) => {
    const at = new RegExp(AT).exec(error);
    if (!at) {
      const many = /^rules must hold 1\.\.(\d+) rules \(got (\d+)\)$/.exec(error);
      if (many && many[2] === '0') return { key: null, field: null, message: 'admin.routing.error.empty' };
      if (many) return { key: null, field: null, message: 'admin.routing.error.tooMany', params: { max: Number(many[1]) } };
      return { key: null, field: null, message: 'admin.routing.error.other', params: { detail: error } };
    }
    const index = Number(at[1]);
    const key = keys[index] ?? null;
    const rule = (input[index] ?? {}) as { match?: Record<string, unknown> };
    const rest = error.slice(at[0].length);
    const on = (field: RuleField, message: ConsoleMessageKey, params?: Record<string, string | number>): RoutingProblem => ({ key, field, message, params });
    let m: RegExpExecArray | null;
    if ((m = /^\.name ".*" is already used by rules\[(\d+)\]$/.exec(rest))) {
      const other = keys[Number(m[1])];
      return on('name', 'admin.routing.error.nameTaken', { rule: other === undefined ? Number(m[1]) + 1 : numberOf(other) });
    }
    if (/^\.name must be a non-empty string of at most (\d+) characters$/.test(rest))
      return on('name', 'admin.routing.error.name', { max: Number(/(\d+) characters$/.exec(rest)![1]) });
    if (/^\.queue must be a string matching /.test(rest)) return on('queue', 'admin.routing.error.queue');
    if (/^\.queue ".*" is not a known queue /.test(rest)) return on('queue', 'admin.routing.error.queueUnknown');
    if (/^ is the last rule and must have an empty match/.test(rest)) return on('match', 'admin.routing.error.lastCatchesAll');
    if (/^ has an empty match and catches every case/.test(rest)) return on('match', 'admin.routing.error.catchAllTooEarly');
    if ((m = new RegExp(String.raw`^\.match\.${PRIORITY_FIELD} must be an integer 0\.\.100$`).exec(rest))) return on(m[1] as RuleField, 'admin.routing.error.priority');
    if (/^\.match\.minPriority must not be greater than /.test(rest)) return on('minPriority', 'admin.routing.error.priorityOrder');
    if ((m = new RegExp(String.raw`^\.match\.${LIST_FIELD}\[(\d+)\] ".*" is listed twice$`).exec(rest))) {
      return on(m[1] as RuleField, 'admin.routing.error.twice', { value: String((rule.match?.[m[1]] as unknown[] | undefined)?.[Number(m[2])] ?? '') });
    }
    if ((m = /^\.match\.languages\[(\d+)\] must be a BCP 47 /.exec(rest))) {
      return on('languages', 'admin.routing.error.language', { value: String((rule.match?.languages as unknown[] | undefined)?.[Number(m[1])] ?? '') });
    }
    if ((m = new RegExp(String.raw`^\.match\.${LIST_FIELD}\[\d+\] must be one of `).exec(rest))) return on(m[1] as RuleField, 'admin.routing.error.choice');
    if ((m = new RegExp(String.raw`^\.match\.${LIST_FIELD} must hold at most (\d+) items`).exec(rest)))
      return on(m[1] as RuleField, 'admin.routing.error.tooManyItems', { max: Number(m[2]) });
    if (/^\.match\.reappeared must be a boolean$/.test(rest)) return on('reappeared', 'admin.routing.error.choice');
    if ((m = new RegExp(String.raw`^\.match\.${LIST_FIELD}`).exec(rest))) return on(m[1] as RuleField, 'admin.routing.error.other', { detail: error });
    return on('rule', 'admin.routing.error.other', { detail: error });
  });
}

// ---------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------

export interface RoutingEditorState {
  drafts: readonly RuleDraft[];
  problems: readonly RoutingProblem[];
  /** The review queues a rule may send cases to. */
  queues: readonly string[];
  /** The version the form was loaded from (a save over a newer one is stopped). */
  version: number;
  /** The draft whose name field gets the focus (a rule just added). */
  focus?: number;
  canEdit: boolean;
}

const idOf = (key: number, field: RuleField) => (field === 'rule' ? `rule-${key}` : `rule-${key}-${field}`);
const errorIdOf = (key: number, field: RuleField) => `${idOf(key, field)}-error`;

/** Where the error summary's link for a problem goes: an input (or the first one of a group). */
export function problemAnchor(problem: RoutingProblem): string | undefined {
  if (problem.key === null || problem.field === null) return undefined;
  if (problem.field === 'rule') return idOf(problem.key, 'name');
  if (problem.field === 'match') return idOf(problem.key, 'minPriority');
  if (CHOICE_FIELDS.includes(problem.field as ChoiceField)) return `${idOf(problem.key, problem.field)}-0`;
  return idOf(problem.key, problem.field);
}

export function routingEditor(ctx: PageContext, state: RoutingEditorState): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const numberOf = new Map(state.drafts.map((draft, i) => [draft.key, i + 1]));
  const said = (problem: RoutingProblem) => t(problem.message, problem.params);
  const summary = state.problems.map((problem) => ({
    field: problemAnchor(problem),
    message: problem.key === null ? said(problem) : t('admin.routing.error.inRule', { rule: numberOf.get(problem.key) ?? '?', message: said(problem) }),
  }));
  const formProblems = state.problems.filter((problem) => problem.key === null);
  return html`${errorSummary(ctx, summary)}
    <form method="post" action="/admin/routing" novalidate class="routing">
      ${csrfField(ctx)}
      <input type="hidden" name="version" value="${state.version}" />
      ${formProblems.length > 0 ? html`<p class="field-error" id="rules-error">${formProblems.map(said).join(' ')}</p>` : ''}
      ${state.drafts.map((draft) =>
        ruleFieldset(
          ctx,
          draft,
          numberOf.get(draft.key)!,
          state.problems.filter((problem) => problem.key === draft.key),
          state.queues,
          state.focus === draft.key,
        ),
      )}
      ${
        state.canEdit
          ? html`<div class="actions">
              <button type="submit" name="intent" value="save" data-key="s" aria-keyshortcuts="s">${t('admin.routing.save')} ${kbd('S')}</button>
              <button type="submit" name="intent" value="add" class="secondary" data-key="a" aria-keyshortcuts="a">${t('admin.routing.add')} ${kbd('A')}</button>
              <a class="button secondary" href="/admin/routing">${t('admin.routing.discard')}</a>
            </div>`
          : ''
      }
    </form>`;
}

function ruleFieldset(ctx: PageContext, draft: RuleDraft, number: number, problems: readonly RoutingProblem[], queues: readonly string[], focus: boolean): SafeHtml {
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(ctx.lang, key, params);
  const of = (field: RuleField) => problems.filter((problem) => problem.field === field);
  const errorOf = (field: RuleField) => {
    const found = of(field);
    return found.length > 0
      ? html`<p class="field-error" id="${errorIdOf(draft.key, field)}">${found.map((problem) => t(problem.message, problem.params)).join(' ')}</p>`
      : '';
  };
  const describedBy = (field: RuleField, help: boolean) => {
    const ids = [...(help ? [`${idOf(draft.key, field)}-help`] : []), ...(of(field).length > 0 ? [errorIdOf(draft.key, field)] : [])];
    return ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : '';
  };
  const invalid = (field: RuleField) => (of(field).length > 0 ? html` aria-invalid="true"` : '');
  const wrapClass = (field: RuleField) => (of(field).length > 0 ? 'field invalid' : 'field');

  const textField = (
    field: RuleField,
    label: string,
    value: string,
    options: { help?: string; numeric?: boolean; maxlength: number; autofocus?: boolean; size?: string },
  ) =>
    html`<div class="${wrapClass(field)}${options.size ? ` ${options.size}` : ''}">
      <label for="${idOf(draft.key, field)}">${label}</label>
      ${options.help ? html`<p class="help" id="${idOf(draft.key, field)}-help">${options.help}</p>` : ''} ${errorOf(field)}
      <input
        type="text"
        id="${idOf(draft.key, field)}"
        name="r${draft.key}.${field}"
        value="${value}"
        maxlength="${options.maxlength}"
        ${options.numeric ? html`inputmode="numeric"` : ''}
        ${invalid(field)}${describedBy(field, options.help !== undefined)}${options.autofocus ? html` autofocus` : ''}
      />
    </div>`;

  const selectField = (field: RuleField, label: string, value: string, options: readonly { value: string; label: string }[]) => {
    const all = options.some((option) => option.value === value) ? options : [...options, { value, label: value }];
    return html`<div class="${wrapClass(field)}">
      <label for="${idOf(draft.key, field)}">${label}</label>
      ${errorOf(field)}
      <select id="${idOf(draft.key, field)}" name="r${draft.key}.${field}" ${invalid(field)}${describedBy(field, false)}>
        ${all.map((option) => html`<option value="${option.value}" ${option.value === value ? html`selected` : ''}>${option.label}</option>`)}
      </select>
    </div>`;
  };

  const choiceGroup = (field: ChoiceField) => {
    const allowed = MATCH_CHOICES[field] as readonly string[];
    const values = [...allowed, ...draft[field].filter((value) => !allowed.includes(value))];
    return html`<fieldset class="choice-group${of(field).length > 0 ? ' has-error' : ''}" id="${idOf(draft.key, field)}" ${describedBy(field, false)}>
      <legend>${t(`admin.routing.field.${field}` as ConsoleMessageKey)}</legend>
      ${errorOf(field)}
      <div class="choices">
        ${values.map((value, i) => {
          const id = `${idOf(draft.key, field)}-${i}`;
          const label = allowed.includes(value) ? t(`admin.routing.${field}.${value}` as ConsoleMessageKey) : value;
          return html`<label class="choice" for="${id}">
            <input type="checkbox" id="${id}" name="r${draft.key}.${field}" value="${value}" ${draft[field].includes(value) ? html`checked` : ''}${invalid(field)} />
            ${label}
          </label>`;
        })}
      </div>
    </fieldset>`;
  };

  const legend = draft.name.trim() ? t('admin.routing.rule.legend', { rule: number, name: draft.name }) : t('admin.routing.rule.legendNew', { rule: number });
  return html`<fieldset
    class="rule${draft.remove ? ' removed' : ''}${of('rule').length > 0 ? ' has-error' : ''}"
    id="${idOf(draft.key, 'rule')}"
    ${describedBy('rule', false)}
  >
    <legend>${legend}</legend>
    ${errorOf('rule')}
    <div class="rule-fields">
      ${textField('order', t('admin.routing.field.order'), draft.order, { help: t('admin.routing.help.order'), numeric: true, maxlength: 3, size: 'short' })}
      ${textField('name', t('admin.routing.field.name'), draft.name, { help: t('admin.routing.help.name'), maxlength: 100, autofocus: focus })}
      ${selectField('queue', t('admin.routing.field.queue'), draft.queue, [
        ...(draft.queue === '' ? [{ value: '', label: t('admin.routing.queue.choose') }] : []),
        ...queues.map((queue) => ({ value: queue, label: queue })),
      ])}
    </div>
    <fieldset class="conditions${of('match').length > 0 ? ' has-error' : ''}" id="${idOf(draft.key, 'match')}" ${describedBy('match', false)}>
      <legend>${t('admin.routing.conditions')}</legend>
      <p class="help">${t('admin.routing.help.conditions')}</p>
      ${errorOf('match')}
      <div class="rule-fields">
        ${textField('minPriority', t('admin.routing.field.minPriority'), draft.minPriority, { help: t('admin.routing.help.priority'), numeric: true, maxlength: 6, size: 'short' })}
        ${textField('maxPriority', t('admin.routing.field.maxPriority'), draft.maxPriority, { help: t('admin.routing.help.priority'), numeric: true, maxlength: 6, size: 'short' })}
        ${selectField('reappeared', t('admin.routing.field.reappeared'), draft.reappeared, [
          { value: '', label: t('admin.routing.reappeared.any') },
          { value: 'true', label: t('admin.routing.reappeared.true') },
          { value: 'false', label: t('admin.routing.reappeared.false') },
        ])}
        ${textField('languages', t('admin.routing.field.languages'), draft.languages, { help: t('admin.routing.help.languages'), maxlength: 1000 })}
      </div>
      <div class="choice-groups">${CHOICE_FIELDS.map(choiceGroup)}</div>
    </fieldset>
    <label class="choice remove" for="${idOf(draft.key, 'rule')}-remove">
      <input type="checkbox" id="${idOf(draft.key, 'rule')}-remove" name="r${draft.key}.remove" value="1" ${draft.remove ? html`checked` : ''} />
      ${t('admin.routing.remove')}
    </label>
  </fieldset>`;
}

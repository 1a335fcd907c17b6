import type { HotlineConfig } from '@hotline/config';
import { DEFAULT_QUEUES, DEFAULT_ROUTING_RULES, validateRoutingRules } from '@hotline/domain';
import type { PageContext } from '../layout';
import { blankDraft, draftsOfForm, draftsOfRules, type RuleDraft, routingEditor, routingProblemsOf, ruleSetOfDrafts, withNewRule } from './routing-editor';

const QUEUES = [...DEFAULT_QUEUES];
const ctx = (lang: PageContext['lang'] = 'en'): PageContext => ({ lang, staff: null, csrf: 'csrf-token', now: new Date(0), config: {} as HotlineConfig, path: '/' });

/** The form fields a browser would post for these drafts (what the editor writes). */
function formOf(drafts: readonly RuleDraft[]): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = { _csrf: 'x', version: '1', intent: 'save' };
  for (const d of drafts) {
    Object.assign(form, {
      [`r${d.key}.order`]: d.order,
      [`r${d.key}.name`]: d.name,
      [`r${d.key}.queue`]: d.queue,
      [`r${d.key}.minPriority`]: d.minPriority,
      [`r${d.key}.maxPriority`]: d.maxPriority,
      [`r${d.key}.languages`]: d.languages,
      [`r${d.key}.reappeared`]: d.reappeared,
    });
    for (const list of ['contentTypes', 'hosting', 'sources'] as const) if (d[list].length > 0) form[`r${d.key}.${list}`] = d[list].length === 1 ? d[list][0] : d[list];
    if (d.remove) form[`r${d.key}.remove`] = '1';
  }
  return form;
}

/** What the validator says about the drafts, placed on them. */
function problemsOf(drafts: RuleDraft[]) {
  const { input, keys } = ruleSetOfDrafts(drafts);
  const result = validateRoutingRules(input, QUEUES);
  return result.ok ? [] : routingProblemsOf(result.errors, keys, input, (key) => drafts.findIndex((d) => d.key === key) + 1);
}

describe('routing rules editor', () => {
  it('gives back the same rules from the form it draws of them', () => {
    const drafts = draftsOfForm(formOf(draftsOfRules(DEFAULT_ROUTING_RULES)));
    const { input, problems } = ruleSetOfDrafts(drafts);
    expect(problems).toEqual([]);
    expect(input).toEqual(DEFAULT_ROUTING_RULES);
    expect(validateRoutingRules(input, QUEUES).ok).toBe(true);
  });

  it('reads every condition of a rule from its fields, leaving out the empty ones', () => {
    const [draft] = draftsOfForm({
      'r7.order': '1',
      'r7.name': ' de-livestreams ',
      'r7.queue': 'urgent',
      'r7.minPriority': ' 40 ',
      'r7.maxPriority': '',
      'r7.contentTypes': ['livestream', 'videos'],
      'r7.hosting': 'foreign',
      'r7.languages': 'DE, fr;pt ',
      'r7.reappeared': 'false',
      ignored: 'x',
      'r7.constructor.prototype': 'x',
    });
    expect(draft.key).toBe(7);
    expect(ruleSetOfDrafts([draft]).input).toEqual([
      {
        name: 'de-livestreams',
        queue: 'urgent',
        match: { minPriority: 40, contentTypes: ['livestream', 'videos'], hosting: ['foreign'], languages: ['de', 'fr', 'pt'], reappeared: false },
      },
    ]);
  });

  it('keeps what is not a number as text, for the validator to refuse', () => {
    const draft = { ...blankDraft(0, 1), name: 'x', queue: 'standard', minPriority: 'seventy' };
    expect(ruleSetOfDrafts([draft]).input[0]).toMatchObject({ match: { minPriority: 'seventy' } });
  });

  it('saves in the order of the position fields, drops removed rules, and refuses a position that is not a number', () => {
    const drafts = draftsOfRules(DEFAULT_ROUTING_RULES);
    drafts[0].order = '4';
    drafts[3].order = '1';
    drafts[1].remove = true;
    const { input, keys } = ruleSetOfDrafts(drafts);
    expect(input.map((rule) => rule.name)).toEqual(['unresolved-hosting', 'partner', 'urgent', 'standard']);
    expect(keys).toEqual([3, 2, 0, 4]);
    drafts[2].order = 'first';
    expect(ruleSetOfDrafts(drafts).problems).toEqual([{ key: 2, field: 'order', message: 'admin.routing.error.order' }]);
    expect(ruleSetOfDrafts(drafts).keys).toEqual([0, 2, 3, 4]);
  });

  it('adds an empty rule just before the catch-all, numbering the positions in saving order', () => {
    const drafts = draftsOfRules(DEFAULT_ROUTING_RULES);
    drafts[0].order = '9';
    const { drafts: next, added } = withNewRule(drafts);
    expect(added).toBe(5);
    expect(next.map((d) => [d.key, d.order])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
      [4, '4'],
      [5, '5'],
      [0, '6'],
    ]);
  });

  it('puts each validator error on the rule and field it names', () => {
    const drafts = draftsOfRules(DEFAULT_ROUTING_RULES);
    drafts[0].minPriority = '101';
    drafts[1].languages = 'de, x1';
    drafts[2].name = 'urgent';
    drafts[3].queue = 'nowhere';
    drafts[4].sources = ['public'];
    expect(problemsOf(drafts)).toEqual([
      { key: 0, field: 'minPriority', message: 'admin.routing.error.priority' },
      { key: 1, field: 'languages', message: 'admin.routing.error.language', params: { value: 'x1' } },
      { key: 2, field: 'name', message: 'admin.routing.error.nameTaken', params: { rule: 1 } },
      { key: 3, field: 'queue', message: 'admin.routing.error.queueUnknown' },
      { key: 4, field: 'match', message: 'admin.routing.error.lastCatchesAll' },
    ]);
  });

  it('places errors by the saved order when the positions moved rules around', () => {
    const drafts = draftsOfRules(DEFAULT_ROUTING_RULES);
    drafts[4].order = '1'; // the catch-all first: it hides every rule after it
    drafts[0].order = '6';
    drafts[0].maxPriority = '10'; // below its minPriority (70)
    expect(problemsOf(drafts)).toEqual([
      { key: 0, field: 'minPriority', message: 'admin.routing.error.priorityOrder' },
      { key: 4, field: 'match', message: 'admin.routing.error.catchAllTooEarly' },
      { key: 0, field: 'match', message: 'admin.routing.error.lastCatchesAll' },
    ]);
  });

  it('says so when no rule is left, and keeps unknown errors in the validator’s words', () => {
    expect(problemsOf([{ ...blankDraft(0, 1), remove: true }])).toEqual([{ key: null, field: null, message: 'admin.routing.error.empty' }]);
    expect(routingProblemsOf(['rules[0].match.colour is not a known key (…)', 'something else'], [3], [{}], () => 1)).toEqual([
      { key: 3, field: 'rule', message: 'admin.routing.error.other', params: { detail: 'rules[0].match.colour is not a known key (…)' } },
      { key: null, field: null, message: 'admin.routing.error.other', params: { detail: 'something else' } },
    ]);
  });

  it('draws each rule as a fieldset, the error next to its field (aria-invalid, described by it) and linked from the summary, as typed', () => {
    const drafts = draftsOfRules(DEFAULT_ROUTING_RULES);
    drafts[0].minPriority = '101"><b>';
    const page = routingEditor(ctx(), {
      drafts,
      problems: [{ key: 0, field: 'minPriority', message: 'admin.routing.error.priority' }],
      queues: QUEUES,
      version: 3,
      canEdit: true,
    }).toString();
    expect(page.match(/<fieldset\s+class="rule[^"]*"\s+id="rule-\d+"/g)).toHaveLength(5);
    expect(page).toContain('<a href="#rule-0-minPriority">Rule 1: Enter a whole number from 0 to 100, or leave it empty.</a>');
    const input = /<input[^>]*id="rule-0-minPriority"[^>]*>/.exec(page)![0];
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="rule-0-minPriority-help rule-0-minPriority-error"');
    expect(input).toContain('value="101&quot;&gt;&lt;b&gt;"');
    expect(page).toContain('<p class="field-error" id="rule-0-minPriority-error">Enter a whole number from 0 to 100, or leave it empty.</p>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('name="version" value="3"');
    expect((page.match(/aria-invalid/g) ?? []).length).toBe(1);
  });

  it('labels every input, and gives every id once', () => {
    const drafts = withNewRule(draftsOfRules(DEFAULT_ROUTING_RULES)).drafts;
    const page = routingEditor(ctx('ar'), { drafts, problems: [], queues: QUEUES, version: 1, canEdit: true }).toString();
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of page.matchAll(/<(?:input|select)\b[^>]*>/g)) {
      if (/type="hidden"/.test(m[0])) continue;
      const id = /\sid="([^"]+)"/.exec(m[0])![1];
      expect({ id, labelled: page.includes(`for="${id}"`) }).toEqual({ id, labelled: true });
    }
  });
});

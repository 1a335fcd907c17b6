import { URGENT_PRIORITY } from './priority';
import { DEFAULT_QUEUES, DEFAULT_ROUTING_RULES, NoMatchingRouteError, RoutingFacts, RoutingRule, routeCase, validateRoutingRules } from './routing';

/** An ordinary public report: low priority, hosted at home, nothing special. */
const ordinary: RoutingFacts = {
  priority: 20,
  contentType: 'images',
  hosting: 'domestic',
  source: 'public',
  language: 'de',
  reappeared: false,
};

const facts = (changes: Partial<RoutingFacts>): RoutingFacts => ({ ...ordinary, ...changes });

describe('routeCase with the default rules', () => {
  const route = (changes: Partial<RoutingFacts>) => routeCase(DEFAULT_ROUTING_RULES, facts(changes));

  it('sends an ordinary case to standard', () => {
    expect(route({})).toEqual({ queue: 'standard', rule: 'standard' });
  });

  it('sends urgent priorities to urgent, from URGENT_PRIORITY on', () => {
    expect(route({ priority: URGENT_PRIORITY })).toEqual({ queue: 'urgent', rule: 'urgent' });
    expect(route({ priority: 100 }).queue).toBe('urgent');
    expect(route({ priority: URGENT_PRIORITY - 1 }).queue).toBe('standard');
  });

  it('sends reappeared, partner and unresolved cases to their queues', () => {
    expect(route({ reappeared: true })).toEqual({ queue: 'reappeared', rule: 'reappeared' });
    expect(route({ source: 'partner' })).toEqual({ queue: 'partner-inbound', rule: 'partner' });
    expect(route({ hosting: 'unresolved' })).toEqual({ queue: 'unresolved-hosting', rule: 'unresolved-hosting' });
  });

  it('puts urgency before every special queue (a child in danger now comes first)', () => {
    const urgent = { priority: 90 };
    expect(route({ ...urgent, reappeared: true }).queue).toBe('urgent');
    expect(route({ ...urgent, source: 'partner' }).queue).toBe('urgent');
    expect(route({ ...urgent, hosting: 'unresolved' }).queue).toBe('urgent');
  });

  it('then prefers reappeared over partner over unresolved hosting', () => {
    expect(route({ reappeared: true, source: 'partner', hosting: 'unresolved' }).queue).toBe('reappeared');
    expect(route({ source: 'partner', hosting: 'unresolved' }).queue).toBe('partner-inbound');
  });

  it('is a valid rule set for the default queues, ending in a catch-all', () => {
    expect(validateRoutingRules(DEFAULT_ROUTING_RULES, DEFAULT_QUEUES)).toEqual({ ok: true, rules: DEFAULT_ROUTING_RULES });
    expect(DEFAULT_ROUTING_RULES.at(-1)).toEqual({ name: 'standard', match: {}, queue: 'standard' });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_ROUTING_RULES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ROUTING_RULES[0].match)).toBe(true);
    expect(() => DEFAULT_ROUTING_RULES.push({ name: 'x', match: {}, queue: 'x' })).toThrow(TypeError);
  });
});

describe('routeCase match keys', () => {
  const only = (match: RoutingRule['match']): RoutingRule[] => [
    { name: 'hit', match, queue: 'hit' },
    { name: 'rest', match: {}, queue: 'rest' },
  ];
  const queueOf = (match: RoutingRule['match'], changes: Partial<RoutingFacts>) => routeCase(only(match), facts(changes)).queue;

  it('minPriority and maxPriority are inclusive bounds', () => {
    const band = { minPriority: 30, maxPriority: 60 };
    expect(queueOf(band, { priority: 29 })).toBe('rest');
    expect(queueOf(band, { priority: 30 })).toBe('hit');
    expect(queueOf(band, { priority: 60 })).toBe('hit');
    expect(queueOf(band, { priority: 61 })).toBe('rest');
  });

  it('contentTypes matches listed types; an unreported type matches no list', () => {
    const match = { contentTypes: ['livestream' as const, 'videos' as const] };
    expect(queueOf(match, { contentType: 'videos' })).toBe('hit');
    expect(queueOf(match, { contentType: 'images' })).toBe('rest');
    expect(queueOf({ contentTypes: ['other'] }, { contentType: null })).toBe('rest');
  });

  it('hosting matches listed hosting classes', () => {
    expect(queueOf({ hosting: ['onion', 'foreign'] }, { hosting: 'onion' })).toBe('hit');
    expect(queueOf({ hosting: ['onion', 'foreign'] }, { hosting: 'domestic' })).toBe('rest');
  });

  it('sources matches listed sources', () => {
    expect(queueOf({ sources: ['bulk'] }, { source: 'bulk' })).toBe('hit');
    expect(queueOf({ sources: ['bulk'] }, { source: 'public' })).toBe('rest');
  });

  it('languages matches the primary subtag of the case language, in any case', () => {
    expect(queueOf({ languages: ['pt'] }, { language: 'pt-BR' })).toBe('hit');
    expect(queueOf({ languages: ['pt'] }, { language: 'PT' })).toBe('hit');
    expect(queueOf({ languages: ['pt'] }, { language: 'es' })).toBe('rest');
    expect(queueOf({ languages: ['pt'] }, { language: '' })).toBe('rest');
  });

  it('reappeared matches true and false', () => {
    expect(queueOf({ reappeared: true }, { reappeared: true })).toBe('hit');
    expect(queueOf({ reappeared: true }, { reappeared: false })).toBe('rest');
    expect(queueOf({ reappeared: false }, { reappeared: false })).toBe('hit');
  });

  it('needs every present key to hold', () => {
    const match = { sources: ['public' as const], hosting: ['foreign' as const], minPriority: 50 };
    expect(queueOf(match, { source: 'public', hosting: 'foreign', priority: 50 })).toBe('hit');
    expect(queueOf(match, { source: 'public', hosting: 'foreign', priority: 49 })).toBe('rest');
    expect(queueOf(match, { source: 'public', hosting: 'domestic', priority: 50 })).toBe('rest');
  });

  it('takes the first matching rule', () => {
    const rules: RoutingRule[] = [
      { name: 'a', match: { maxPriority: 10 }, queue: 'qa' },
      { name: 'b', match: { maxPriority: 50 }, queue: 'qb' },
      { name: 'c', match: {}, queue: 'qc' },
    ];
    expect(routeCase(rules, facts({ priority: 5 }))).toEqual({ queue: 'qa', rule: 'a' });
    expect(routeCase(rules, facts({ priority: 20 }))).toEqual({ queue: 'qb', rule: 'b' });
    expect(routeCase(rules, facts({ priority: 80 }))).toEqual({ queue: 'qc', rule: 'c' });
  });

  it('throws when nothing matches (a rule set that skipped validation)', () => {
    expect(() => routeCase([{ name: 'a', match: { reappeared: true }, queue: 'a' }], ordinary)).toThrow(NoMatchingRouteError);
    expect(() => routeCase([], ordinary)).toThrow(NoMatchingRouteError);
  });
});

describe('validateRoutingRules', () => {
  const catchAll = { name: 'rest', match: {}, queue: 'standard' };
  /** Validates `rule` followed by a valid catch-all; returns the errors. */
  const errorsFor = (rule: unknown, knownQueues?: readonly string[]): string[] => {
    const result = validateRoutingRules([rule, catchAll], knownQueues);
    return result.ok ? [] : result.errors;
  };
  const valid = { name: 'r', match: { minPriority: 10 }, queue: 'urgent' };

  it('accepts a rule set using every key', () => {
    const input = [
      {
        name: 'everything',
        match: {
          minPriority: 0,
          maxPriority: 100,
          contentTypes: ['livestream', 'videos', 'images', 'text', 'other'],
          hosting: ['domestic', 'foreign', 'unknown', 'onion', 'unresolved'],
          sources: ['public', 'partner', 'bulk'],
          languages: ['de', 'fr', 'gsw'],
          reappeared: false,
        },
        queue: 'q-1',
      },
      catchAll,
    ];
    expect(validateRoutingRules(JSON.parse(JSON.stringify(input)))).toEqual({ ok: true, rules: input });
  });

  it('returns copies, so later edits to the input cannot change routing', () => {
    const rule = { name: 'onion', match: { hosting: ['onion'] }, queue: 'q' };
    const result = validateRoutingRules([rule, catchAll]);
    rule.queue = 'changed';
    rule.match.hosting.push('domestic');
    expect(result).toEqual({ ok: true, rules: [{ name: 'onion', match: { hosting: ['onion'] }, queue: 'q' }, catchAll] });
  });

  it('accepts equal min and max priority', () => {
    expect(errorsFor({ name: 'r', match: { minPriority: 50, maxPriority: 50 }, queue: 'q' })).toEqual([]);
  });

  it.each([
    ['an object', {}],
    ['a string', '[]'],
    ['null', null],
  ])('refuses %s instead of an array', (_label, input) => {
    expect(validateRoutingRules(input)).toEqual({ ok: false, errors: ['rules must be an array'] });
  });

  it('refuses an empty list and more than 200 rules', () => {
    expect(validateRoutingRules([])).toEqual({ ok: false, errors: ['rules must hold 1..200 rules (got 0)'] });
    const many = [...Array.from({ length: 200 }, (_, i) => ({ name: `r${i}`, match: { maxPriority: 1 }, queue: 'q' })), catchAll];
    expect(validateRoutingRules(many)).toEqual({ ok: false, errors: ['rules must hold 1..200 rules (got 201)'] });
    expect(validateRoutingRules(many.slice(1)).ok).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'rule'],
  ])('refuses a rule that is %s', (_label, rule) => {
    expect(errorsFor(rule)).toEqual(['rules[0] must be an object']);
  });

  it('refuses unknown keys on a rule and in its match', () => {
    expect(errorsFor({ ...valid, priority: 1 })).toEqual(['rules[0].priority is not a known key (name, match, queue)']);
    expect(errorsFor({ ...valid, match: { minPriority: 1, victim: true } })).toEqual([
      'rules[0].match.victim is not a known key (minPriority, maxPriority, contentTypes, hosting, sources, languages, reappeared)',
    ]);
    expect(errorsFor({ ...valid, match: JSON.parse('{"__proto__": {"minPriority": 1}}') })).toEqual([
      expect.stringMatching(/^rules\[0\]\.match\.__proto__ is not a known key/),
    ]);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['a number', 7],
    ['too long', 'x'.repeat(101)],
  ])('refuses a name that is %s', (_label, name) => {
    expect(errorsFor({ ...valid, name })).toEqual(['rules[0].name must be a non-empty string of at most 100 characters']);
  });

  it('refuses duplicate names, naming the first use', () => {
    const result = validateRoutingRules([valid, { ...valid, queue: 'b' }, { ...catchAll, name: 'r' }]);
    expect(result).toEqual({
      ok: false,
      errors: ['rules[1].name "r" is already used by rules[0]', 'rules[2].name "r" is already used by rules[0]'],
    });
  });

  it.each([
    ['missing', undefined],
    ['upper case', 'Urgent'],
    ['starting with a digit', '1st'],
    ['with a space', 'a b'],
    ['too long', 'q'.repeat(64)],
    ['a number', 3],
  ])('refuses a queue name that is %s', (_label, queue) => {
    expect(errorsFor({ ...valid, queue })).toEqual(['rules[0].queue must be a string matching ^[a-z][a-z0-9-]{0,62}$']);
  });

  it('accepts the longest queue name', () => {
    expect(errorsFor({ ...valid, queue: 'q'.repeat(63) })).toEqual([]);
  });

  it('refuses a queue that is not among knownQueues, when given', () => {
    expect(errorsFor({ ...valid, queue: 'urgnet' }, ['urgent', 'standard'])).toEqual(['rules[0].queue "urgnet" is not a known queue (urgent, standard)']);
    expect(errorsFor({ ...valid, queue: 'urgent' }, ['urgent', 'standard'])).toEqual([]);
    const result = validateRoutingRules([{ name: 'all', match: {}, queue: 'elsewhere' }], DEFAULT_QUEUES);
    expect(result).toEqual({
      ok: false,
      errors: ['rules[0].queue "elsewhere" is not a known queue (urgent, standard, partner-inbound, reappeared, unresolved-hosting)'],
    });
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['an array', []],
  ])('refuses a match that is %s', (_label, match) => {
    expect(errorsFor({ ...valid, match })).toEqual(['rules[0].match must be an object']);
  });

  it.each([-1, 101, 1.5, '50', null, Number.NaN])('refuses minPriority and maxPriority %p', (value) => {
    expect(errorsFor({ ...valid, match: { minPriority: value } })).toEqual(['rules[0].match.minPriority must be an integer 0..100']);
    expect(errorsFor({ ...valid, match: { maxPriority: value } })).toEqual(['rules[0].match.maxPriority must be an integer 0..100']);
  });

  it('refuses minPriority above maxPriority', () => {
    expect(errorsFor({ ...valid, match: { minPriority: 60, maxPriority: 59 } })).toEqual([
      'rules[0].match.minPriority must not be greater than rules[0].match.maxPriority',
    ]);
  });

  it.each([
    ['contentTypes', 'images, videos, text, livestream, other', 'video'],
    ['hosting', 'domestic, foreign, unknown, onion, unresolved', 'abroad'],
    ['sources', 'public, partner, bulk', 'Partner'],
  ])('refuses %s that are not members of the enum', (key, members, wrong) => {
    expect(errorsFor({ ...valid, match: { [key]: [wrong, 1] } })).toEqual([
      `rules[0].match.${key}[0] must be one of ${members}`,
      `rules[0].match.${key}[1] must be one of ${members}`,
    ]);
  });

  it.each(['contentTypes', 'hosting', 'sources', 'languages'])('refuses %s that is not a non-empty array', (key) => {
    const message = `rules[0].match.${key} must be a non-empty array`;
    expect(errorsFor({ ...valid, match: { [key]: [] } })).toEqual([message]);
    expect(errorsFor({ ...valid, match: { [key]: 'de' } })).toEqual([message]);
  });

  it('refuses a list longer than 200 items without looking at each', () => {
    const languages = Array.from({ length: 201 }, () => 'NOT A TAG');
    expect(errorsFor({ ...valid, match: { languages } })).toEqual(['rules[0].match.languages must hold at most 200 items (got 201)']);
  });

  it('refuses a member listed twice', () => {
    expect(errorsFor({ ...valid, match: { hosting: ['onion', 'foreign', 'onion'] } })).toEqual(['rules[0].match.hosting[2] "onion" is listed twice']);
  });

  it.each(['DE', 'de-AT', 'd', 'deut', 'd1', '', 42])('refuses language %p, which is not a primary subtag', (language) => {
    expect(errorsFor({ ...valid, match: { languages: ['fr', language] } })).toEqual([
      'rules[0].match.languages[1] must be a BCP 47 primary language subtag: 2 or 3 lower-case letters, e.g. "de"',
    ]);
  });

  it.each(['true', 1, null])('refuses reappeared %p', (reappeared) => {
    expect(errorsFor({ ...valid, match: { reappeared } })).toEqual(['rules[0].match.reappeared must be a boolean']);
  });

  it('requires the last rule to be a catch-all', () => {
    expect(validateRoutingRules([valid])).toEqual({
      ok: false,
      errors: ['rules[0] is the last rule and must have an empty match, so every case lands in a queue'],
    });
  });

  it('refuses rules after a catch-all, which could never match', () => {
    expect(validateRoutingRules([valid, { ...catchAll, name: 'early' }, catchAll])).toEqual({
      ok: false,
      errors: ['rules[1] has an empty match and catches every case, so rules[2] can never match'],
    });
    expect(validateRoutingRules([{ ...catchAll, name: 'early' }, valid, catchAll])).toEqual({
      ok: false,
      errors: ['rules[0] has an empty match and catches every case, so rules[1..2] can never match'],
    });
  });

  it('reports every problem at once, each at its place', () => {
    const result = validateRoutingRules([
      { name: 'a', match: { minPriority: 200 }, queue: 'q' },
      'oops',
      { name: 'c', match: { languages: ['EN'] }, queue: 'Bad' },
      { name: 'd', match: { sources: ['partner'] }, queue: 'q' },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        'rules[0].match.minPriority must be an integer 0..100',
        'rules[1] must be an object',
        'rules[2].match.languages[0] must be a BCP 47 primary language subtag: 2 or 3 lower-case letters, e.g. "de"',
        'rules[2].queue must be a string matching ^[a-z][a-z0-9-]{0,62}$',
        'rules[3] is the last rule and must have an empty match, so every case lands in a queue',
      ],
    });
  });

  it('quotes untrusted text and cuts it short in messages', () => {
    const [unknownQueue] = errorsFor({ ...valid, queue: 'z'.repeat(63) }, ['q']);
    expect(unknownQueue).toBe(`rules[0].queue "${'z'.repeat(56)}... is not a known queue (q)`);
  });
});

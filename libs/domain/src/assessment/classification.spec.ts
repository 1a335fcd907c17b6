import { checkClassification } from './classification';

const CATEGORIES = ['A', 'B', 'C'];
const valid = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'A' };

describe('classification', () => {
  it('accepts a complete classification of an illegal verdict', () => {
    expect(checkClassification('baseline', valid, CATEGORIES)).toEqual({ ok: true, classification: valid });
    expect(checkClassification('national', { ...valid, commercial: true, legalCategory: 'C' }, CATEGORIES)).toMatchObject({ ok: true });
  });

  it('requires one for illegal verdicts', () => {
    expect(checkClassification('national', undefined, CATEGORIES)).toEqual({
      ok: false,
      problems: [{ field: 'classification', detail: 'required for a national verdict' }],
    });
    expect(checkClassification('national', 'A', CATEGORIES)).toMatchObject({ ok: false, problems: [{ field: 'classification' }] });
  });

  it('refuses one for any other verdict', () => {
    expect(checkClassification('not_illegal', undefined, CATEGORIES)).toEqual({ ok: true, classification: null });
    expect(checkClassification('not_illegal', null, CATEGORIES)).toEqual({ ok: true, classification: null });
    expect(checkClassification('harmful_not_illegal', valid, CATEGORIES)).toMatchObject({ ok: false, problems: [{ field: 'classification' }] });
  });

  it('lists every field outside the vocabulary, and unknown fields', () => {
    const result = checkClassification(
      'baseline',
      { ageGroup: 'adult', gender: 'female', contentType: 'images', siteType: 'website', commercial: 'no', legalCategory: 'Z', extra: 1 },
      CATEGORIES,
    );
    expect(result.ok).toBe(false);
    const fields = !result.ok ? result.problems.map((problem) => problem.field) : [];
    expect(fields).toEqual([
      'classification.ageGroup',
      'classification.contentType',
      'classification.commercial',
      'classification.legalCategory',
      'classification.extra',
    ]);
    expect(!result.ok && result.problems[3].detail).toBe('must be one of: A, B, C');
  });

  it('takes legal categories from the configured scheme', () => {
    expect(checkClassification('baseline', { ...valid, legalCategory: 'A1' }, ['A1', 'A2', 'B1', 'B2'])).toMatchObject({ ok: true });
    expect(checkClassification('baseline', valid, ['A1', 'A2', 'B1', 'B2'])).toMatchObject({ ok: false });
  });

  it('requires every field', () => {
    const { legalCategory: _, ...partial } = valid;
    expect(checkClassification('baseline', partial, CATEGORIES)).toMatchObject({ ok: false, problems: [{ field: 'classification.legalCategory' }] });
  });
});

import { ct } from '../../i18n';
import {
  checkAssessmentForm,
  checkReason,
  checkReviewForm,
  classificationOf,
  EMPTY_VERDICT_FORM,
  problemAnchor,
  problemMessage,
  problemsFromErrors,
  readVerdictForm,
  VerdictFormValues,
} from './case-forms';
import { firstChoices } from './verdict-fields';

const CATEGORIES = ['A', 'B', 'C'];
const CLASSIFIED: Partial<VerdictFormValues> = { ageGroup: 'infant', gender: 'unknown', contentType: 'video', siteType: 'forum', commercial: 'yes', legalCategory: 'A' };
const form = (values: Partial<VerdictFormValues>): VerdictFormValues => ({ ...EMPTY_VERDICT_FORM, ...values });

describe('problemMessage', () => {
  it('maps the field paths of the classification rule to the console’s own words', () => {
    expect(problemMessage('classification.ageGroup', 'baseline')).toBe('analyst.problem.ageGroup');
    expect(problemMessage('classification.gender', 'national')).toBe('analyst.problem.gender');
    expect(problemMessage('classification.contentType', 'national')).toBe('analyst.problem.contentType');
    expect(problemMessage('classification.siteType', 'national')).toBe('analyst.problem.siteType');
    expect(problemMessage('classification.commercial', 'national')).toBe('analyst.problem.commercial');
    expect(problemMessage('classification.legalCategory', 'national')).toBe('analyst.problem.legalCategory');
    expect(problemMessage('classification.colour', 'national')).toBe('analyst.problem.unknownField');
  });

  it('tells a missing classification (illegal verdict) from a refused one (any other)', () => {
    expect(problemMessage('classification', 'baseline')).toBe('analyst.problem.classificationRequired');
    expect(problemMessage('classification', 'not_illegal')).toBe('analyst.problem.classificationRefused');
    expect(problemMessage('classification', '')).toBe('analyst.problem.classificationRequired');
  });

  it('has a word for the other fields, and a generic one for anything else', () => {
    expect(problemMessage('verdict', '')).toBe('analyst.problem.verdict');
    expect(problemMessage('decision', '')).toBe('analyst.problem.decision');
    expect(problemMessage('notes', '')).toBe('analyst.problem.notes');
    expect(problemMessage('reason', '')).toBe('analyst.problem.reason');
    expect(problemMessage('body', '')).toBe('analyst.problem.field');
  });

  it('says it in every console language', () => {
    expect(ct('en', problemMessage('classification.ageGroup', 'baseline'))).toBe('Choose the age group of the victims.');
    expect(ct('fr', problemMessage('classification.ageGroup', 'baseline'))).toBe('Choisissez la tranche d’âge des victimes.');
    expect(ct('ar', problemMessage('classification.ageGroup', 'baseline'))).toBe('اختر الفئة العمرية للضحايا.');
  });
});

describe('problemAnchor', () => {
  const choices = firstChoices(CATEGORIES);

  it('links a radio group’s problem to its first choice, and a text field to itself', () => {
    expect(problemAnchor('verdict', choices)).toBe('verdict-baseline');
    expect(problemAnchor('classification', choices)).toBe('ageGroup-infant');
    expect(problemAnchor('classification.siteType', choices)).toBe('siteType-website');
    expect(problemAnchor('classification.commercial', choices)).toBe('commercial-yes');
    expect(problemAnchor('classification.legalCategory', choices)).toBe('legalCategory-0');
    expect(problemAnchor('decision', choices)).toBe('decision-confirm');
    expect(problemAnchor('notes', choices)).toBe('notes');
  });
});

describe('readVerdictForm', () => {
  it('reads flat string fields; a field sent twice or not a string is not given', () => {
    expect(readVerdictForm({ verdict: 'national', ageGroup: ['infant', 'pubescent'], commercial: 1, notes: 'n', _csrf: 'x' })).toEqual(
      form({ verdict: 'national', notes: 'n' }),
    );
    expect(readVerdictForm(null)).toEqual(EMPTY_VERDICT_FORM);
  });
});

describe('classificationOf', () => {
  it('passes every part for an illegal verdict, so each missing one is named', () => {
    expect(classificationOf(form({ ageGroup: 'infant', commercial: 'no' }), 'national')).toEqual({
      ageGroup: 'infant',
      gender: undefined,
      contentType: undefined,
      siteType: undefined,
      commercial: false,
      legalCategory: undefined,
    });
  });

  it('passes nothing for another verdict unless some part was filled in', () => {
    expect(classificationOf(form({}), 'not_illegal')).toBeUndefined();
    expect(classificationOf(form({ gender: 'male' }), 'not_illegal')).toMatchObject({ gender: 'male' });
  });
});

describe('checkAssessmentForm', () => {
  it('accepts a complete illegal verdict, as the API body', () => {
    expect(checkAssessmentForm(form({ verdict: 'baseline', ...CLASSIFIED, notes: 'seen' }), CATEGORIES)).toEqual({
      ok: true,
      body: {
        verdict: 'baseline',
        classification: { ageGroup: 'infant', gender: 'unknown', contentType: 'video', siteType: 'forum', commercial: true, legalCategory: 'A' },
        notes: 'seen',
      },
    });
  });

  it('accepts a verdict that needs no classification, without one', () => {
    expect(checkAssessmentForm(form({ verdict: 'unassessable', notes: '  ' }), CATEGORIES)).toEqual({ ok: true, body: { verdict: 'unassessable', notes: undefined } });
  });

  it('names every missing part of the classification and keeps what was typed', () => {
    const values = form({ verdict: 'national', ageGroup: 'pubescent', legalCategory: 'Z' });
    const checked = checkAssessmentForm(values, CATEGORIES);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((problem) => problem.field)).toEqual([
      'classification.gender',
      'classification.contentType',
      'classification.siteType',
      'classification.commercial',
      'classification.legalCategory',
    ]);
    expect(checked.values).toEqual(values);
  });

  it('refuses a classification on another verdict and clears it, keeping the verdict and notes', () => {
    const checked = checkAssessmentForm(form({ verdict: 'harmful_not_illegal', ...CLASSIFIED, notes: 'n' }), CATEGORIES);
    expect(checked).toEqual({
      ok: false,
      problems: [{ field: 'classification', message: 'analyst.problem.classificationRefused' }],
      values: form({ verdict: 'harmful_not_illegal', notes: 'n' }),
    });
  });

  it('asks for a verdict, and refuses notes over 2000 characters', () => {
    expect(checkAssessmentForm(form({}), CATEGORIES)).toMatchObject({ ok: false, problems: [{ field: 'verdict', message: 'analyst.problem.verdict' }] });
    expect(checkAssessmentForm(form({ verdict: 'illegal' }), CATEGORIES)).toMatchObject({ ok: false, problems: [{ field: 'verdict' }] });
    expect(checkAssessmentForm(form({ verdict: 'not_illegal', notes: 'x'.repeat(2001) }), CATEGORIES)).toMatchObject({
      ok: false,
      problems: [{ field: 'notes', message: 'analyst.problem.notes' }],
    });
  });
});

describe('checkReviewForm', () => {
  const blind = { blind: true, legalCategories: CATEGORIES };
  const sighted = { blind: false, legalCategories: CATEGORIES };

  it('blind: takes the reviewer’s own verdict (the server decides confirm or overturn)', () => {
    expect(checkReviewForm(form({ verdict: 'not_illegal' }), blind)).toEqual({ ok: true, body: { decision: 'confirm', verdict: 'not_illegal', notes: undefined } });
    expect(checkReviewForm(form({}), blind)).toMatchObject({ ok: false, problems: [{ field: 'verdict' }] });
    expect(checkReviewForm(form({ verdict: 'baseline' }), blind)).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([{ field: 'classification.ageGroup', message: 'analyst.problem.ageGroup' }]),
    });
  });

  it('sighted: a confirmation carries no verdict of its own; one given is cleared and explained', () => {
    expect(checkReviewForm(form({ decision: 'confirm', notes: 'agree' }), sighted)).toEqual({ ok: true, body: { decision: 'confirm', notes: 'agree' } });
    expect(checkReviewForm(form({ decision: 'confirm', verdict: 'baseline', ...CLASSIFIED }), sighted)).toEqual({
      ok: false,
      problems: [{ field: 'verdict', message: 'analyst.problem.confirmKeeps' }],
      values: form({ decision: 'confirm' }),
    });
  });

  it('sighted: an overturn needs the reviewer’s verdict and, if illegal, its classification', () => {
    expect(checkReviewForm(form({ decision: 'overturn' }), sighted)).toMatchObject({ ok: false, problems: [{ field: 'verdict' }] });
    expect(checkReviewForm(form({ decision: 'overturn', verdict: 'national', ...CLASSIFIED }), sighted)).toMatchObject({
      ok: true,
      body: { decision: 'overturn', verdict: 'national', classification: { legalCategory: 'A', commercial: true } },
    });
    expect(checkReviewForm(form({}), sighted)).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([{ field: 'decision', message: 'analyst.problem.decision' }]),
    });
  });
});

describe('checkReason', () => {
  it('holds a reveal’s or an appeal’s reason to 10..500 characters, as the API does', () => {
    expect(checkReason('reveal', 'too short')).toBeNull();
    expect(checkReason('reveal', 'long enough now')).toBe('long enough now');
    expect(checkReason('appeal', 'x'.repeat(501))).toBeNull();
    expect(checkReason('appeal', 'x'.repeat(500))).toHaveLength(500);
  });
});

describe('problemsFromErrors', () => {
  it('maps a service’s field errors the same way', () => {
    const values = form({ verdict: 'out_of_remit', gender: 'male' });
    expect(problemsFromErrors([{ field: 'classification' }, { field: 'classification' }], values)).toEqual({
      ok: false,
      problems: [{ field: 'classification', message: 'analyst.problem.classificationRefused' }],
      values: form({ verdict: 'out_of_remit' }),
    });
  });
});

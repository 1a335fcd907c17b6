import { AGE_GROUPS, CLASSIFIED_CONTENT_TYPES, GENDERS, SITE_TYPES, VERDICTS } from '@hotline/domain';
import { html, SafeHtml } from '@hotline/http';
import { ct, type ConsoleMessageKey } from '../../i18n';
import { kbd, type PageContext } from '../../layout';
import type { FormProblem, VerdictFormValues } from './case-forms';
import { labelOf } from './case-labels';

/** The first choice of each radio group: where an error summary's link for the group goes. */
export function firstChoices(legalCategories: readonly string[]): Record<string, string> {
  return {
    verdict: VERDICTS[0],
    decision: 'confirm',
    ageGroup: AGE_GROUPS[0],
    gender: GENDERS[0],
    contentType: CLASSIFIED_CONTENT_TYPES[0],
    siteType: SITE_TYPES[0],
    commercial: 'yes',
    ...(legalCategories.length ? { legalCategory: '0' } : {}),
  };
}

export function problemOf(problems: readonly FormProblem[], path: string): FormProblem | undefined {
  return problems.find((problem) => problem.field === path);
}

function errorText(ctx: PageContext, id: string, problem: FormProblem | undefined): SafeHtml {
  return problem ? html`<p class="field-error" id="${id}">${ct(ctx.lang, problem.message)}</p>` : html``;
}

/** The six verdicts, each on its key 1..6, with what it means. */
export function verdictFieldset(ctx: PageContext, options: { legend: string; selected: string; problems: readonly FormProblem[] }): SafeHtml {
  const { lang } = ctx;
  const problem = problemOf(options.problems, 'verdict');
  return html`<fieldset class="verdicts${problem ? ' invalid' : ''}" ${problem ? html`aria-describedby="verdict-error"` : ''}>
    <legend>${options.legend}</legend>
    ${errorText(ctx, 'verdict-error', problem)}
    ${VERDICTS.map((verdict, i) => {
      const key = String(i + 1);
      return html`<div class="verdict-choice">
        <input
          type="radio"
          name="verdict"
          id="verdict-${verdict}"
          value="${verdict}"
          ${options.selected === verdict ? html`checked` : ''}
          data-key="${key}"
          aria-keyshortcuts="${key}"
          aria-describedby="verdict-${verdict}-help"
        />
        <label for="verdict-${verdict}">${kbd(key)} ${labelOf(lang, 'analyst.verdict', verdict)}</label>
        <p class="help" id="verdict-${verdict}-help">${labelOf(lang, 'analyst.verdictHelp', verdict)}</p>
      </div>`;
    })}
  </fieldset>`;
}

interface Choice {
  value: string;
  id: string;
  label: string;
}

function radioGroup(ctx: PageContext, name: string, legend: ConsoleMessageKey, choices: readonly Choice[], selected: string, problem: FormProblem | undefined): SafeHtml {
  return html`<fieldset class="${problem ? 'invalid' : ''}" ${problem ? html`aria-describedby="${name}-error"` : ''}>
    <legend>${ct(ctx.lang, legend)}</legend>
    ${errorText(ctx, `${name}-error`, problem)}
    <div class="choices">
      ${choices.map(
        (choice) =>
          html`<label class="choice" for="${name}-${choice.id}"
            ><input type="radio" name="${name}" id="${name}-${choice.id}" value="${choice.value}" ${selected === choice.value ? html`checked` : ''} />
            ${choice.label}</label
          >`,
      )}
    </div>
  </fieldset>`;
}

const vocabulary = (ctx: PageContext, prefix: string, values: readonly string[]): Choice[] =>
  values.map((value) => ({ value, id: value, label: labelOf(ctx.lang, prefix, value) }));

/** The classification of illegal material (DOMAIN.md), each part a group of radio buttons. */
export function classificationFields(
  ctx: PageContext,
  options: { values: VerdictFormValues; problems: readonly FormProblem[]; legalCategories: readonly string[] },
): SafeHtml {
  const { lang } = ctx;
  const { values, problems } = options;
  const part = (name: string) => problemOf(problems, `classification.${name}`);
  const whole = problemOf(problems, 'classification');
  return html`<section class="classification${whole ? ' invalid' : ''}" aria-labelledby="classification-title">
    <h3 id="classification-title">${ct(lang, 'analyst.assess.classification')}</h3>
    <p class="help" id="classification-help">${ct(lang, 'analyst.assess.classificationHelp')}</p>
    ${errorText(ctx, 'classification-error', whole)}
    <div class="classification-parts">
      ${radioGroup(ctx, 'ageGroup', 'analyst.class.ageGroup', vocabulary(ctx, 'analyst.ageGroup', AGE_GROUPS), values.ageGroup, part('ageGroup'))}
      ${radioGroup(ctx, 'gender', 'analyst.class.gender', vocabulary(ctx, 'analyst.gender', GENDERS), values.gender, part('gender'))}
      ${radioGroup(ctx, 'contentType', 'analyst.class.contentType', vocabulary(ctx, 'analyst.contentType', CLASSIFIED_CONTENT_TYPES), values.contentType, part('contentType'))}
      ${radioGroup(ctx, 'siteType', 'analyst.class.siteType', vocabulary(ctx, 'analyst.siteType', SITE_TYPES), values.siteType, part('siteType'))}
      ${radioGroup(
        ctx,
        'commercial',
        'analyst.class.commercial',
        [
          { value: 'yes', id: 'yes', label: ct(lang, 'common.yes') },
          { value: 'no', id: 'no', label: ct(lang, 'common.no') },
        ],
        values.commercial,
        part('commercial'),
      )}
      ${radioGroup(
        ctx,
        'legalCategory',
        'analyst.class.legalCategory',
        options.legalCategories.map((category, i) => ({ value: category, id: String(i), label: category })),
        values.legalCategory,
        part('legalCategory'),
      )}
    </div>
  </section>`;
}

/** The notes for colleagues. */
export function notesField(ctx: PageContext, values: VerdictFormValues, problems: readonly FormProblem[]): SafeHtml {
  const problem = problemOf(problems, 'notes');
  return html`<div class="${problem ? 'invalid' : ''}">
    <label for="notes">${ct(ctx.lang, 'analyst.assess.notes')}</label>
    <p class="help" id="notes-help">${ct(ctx.lang, 'analyst.assess.notesHelp')}</p>
    ${errorText(ctx, 'notes-error', problem)}
    <textarea id="notes" name="notes" maxlength="2000" rows="3" aria-describedby="notes-help${problem ? ' notes-error' : ''}">${values.notes}</textarea>
  </div>`;
}

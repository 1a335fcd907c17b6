import { HotlineConfig } from '@hotline/config';
import { validateRoutingRules } from '@hotline/domain';
import { html } from '@hotline/http';
import { InvalidRoutingRulesError, RoutingRulesChangedError, RoutingRulesRepository, type RoutingRuleSet } from '@hotline/persistence';
import { allows } from '@hotline/security';
import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { ct, formatDateTime } from '../i18n';
import { notice, type PageContext, pageContext } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import { draftsOfForm, draftsOfRules, routingEditor, routingProblemsOf, ruleSetOfDrafts, withNewRule, type RoutingEditorState } from './routing-editor';

/**
 * The routing rules as a form (admins): every rule's fields, add and remove rules, save the whole
 * set through the repository's replace, which validates it as the API's PUT does. A refused set
 * comes back (400) with each error next to its rule and field, as typed.
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class RoutingPages {
  constructor(
    private readonly rules: RoutingRulesRepository,
    private readonly config: HotlineConfig,
  ) {}

  @Get('admin/routing')
  @Requires('routing.read')
  async editor(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('saved') saved?: string,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const [set, queues] = await Promise.all([this.rules.current(), this.rules.queueNames()]);
    const said = typeof saved === 'string' && /^\d{1,9}$/.test(saved) ? notice(ct(ctx.lang, 'admin.routing.saved', { version: saved })) : '';
    return this.page(
      reply,
      ctx,
      set,
      { drafts: draftsOfRules(set.rules), problems: [], queues, version: set.version, canEdit: allows(staff.role, 'routing.manage') },
      said,
    );
  }

  @Post('admin/routing')
  @HttpCode(200)
  @Requires('routing.manage')
  async save(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const { lang } = ctx;
    const drafts = draftsOfForm(form);
    const [set, queues] = await Promise.all([this.rules.current(), this.rules.queueNames()]);
    const state = { queues, version: set.version, canEdit: true };

    if (field(form, 'intent') === 'add') {
      const added = withNewRule(drafts);
      const said = notice(ct(lang, 'admin.routing.added'));
      return this.page(reply, ctx, set, { ...state, drafts: added.drafts, problems: [], focus: added.added, version: this.versionOf(form, set) }, said);
    }

    // Someone saved since this form was loaded: theirs is not overwritten unseen. Saving again
    // (the form now carries their version) replaces it.
    const loaded = field(form, 'version', 20);
    if (loaded !== '' && loaded !== String(set.version)) return this.changedMeanwhile(reply, ctx, set, { ...state, drafts, problems: [] });

    const { input, keys, problems } = ruleSetOfDrafts(drafts);
    let errors: readonly string[];
    if (problems.length > 0) {
      // The positions are not numbers, so the order is not known: nothing is saved, but the rest
      // is checked (in the form's order) so every problem shows at once.
      const checked = validateRoutingRules(input, queues);
      errors = checked.ok ? [] : checked.errors;
    } else {
      try {
        // Saved only if still at the version checked above, in the UPDATE itself: a save that
        // came in between (after our read) is not overwritten either.
        const saved = await this.rules.replace(input, staff.email, set.version);
        return redirectTo(reply, `/admin/routing?saved=${saved.version}`);
      } catch (error) {
        if (error instanceof RoutingRulesChangedError) {
          const now = await this.rules.current();
          return this.changedMeanwhile(reply, ctx, now, { ...state, version: now.version, drafts, problems: [] });
        }
        if (!(error instanceof InvalidRoutingRulesError)) throw error;
        errors = error.errors;
      }
    }
    const numberOf = new Map(drafts.map((draft, i) => [draft.key, i + 1]));
    const refused = [...problems, ...routingProblemsOf(errors, keys, input, (key) => numberOf.get(key) ?? key + 1)];
    return this.page(reply, ctx, set, { ...state, drafts, problems: refused, version: this.versionOf(form, set) }, '', 400);
  }

  /** The form again (409), as typed, with the set saved meanwhile named; its version is now that one's, so saving again replaces it. */
  private changedMeanwhile(reply: FastifyReply, ctx: PageContext, set: RoutingRuleSet, state: RoutingEditorState): string {
    const { lang } = ctx;
    const said = notice(
      ct(lang, 'admin.routing.changedMeanwhile', { version: set.version, by: set.updatedBy, time: formatDateTime(lang, new Date(set.updatedAt)) }),
      'warn',
    );
    return this.page(reply, ctx, set, state, said, 409);
  }

  /** The version the form was loaded from, kept while it is edited (adding a rule, fixing errors). */
  private versionOf(form: unknown, set: RoutingRuleSet): number {
    const loaded = field(form, 'version', 20);
    return /^\d{1,9}$/.test(loaded) ? Number(loaded) : set.version;
  }

  private page(reply: FastifyReply, ctx: PageContext, set: RoutingRuleSet, state: RoutingEditorState, said: ReturnType<typeof notice> | '', status = 200): string {
    const { lang } = ctx;
    const body = html`${said}
      <div class="panel admin-panel">
        <p>${ct(lang, 'admin.routing.intro')}</p>
        <p class="help">${ct(lang, 'admin.routing.version', { version: set.version, by: set.updatedBy, time: formatDateTime(lang, new Date(set.updatedAt)) })}</p>
      </div>
      ${routingEditor(ctx, state)}`;
    return pageReply(
      reply,
      ctx,
      {
        title: ct(lang, 'nav.routing'),
        active: 'routing',
        body,
        shortcuts: state.canEdit
          ? [
              { key: 'S', label: ct(lang, 'admin.routing.save') },
              { key: 'A', label: ct(lang, 'admin.routing.add') },
            ]
          : [],
      },
      status,
    );
  }
}

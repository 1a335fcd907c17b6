import { HotlineConfig } from '@hotline/config';
import { canReview } from '@hotline/domain';
import { ProblemException } from '@hotline/http';
import { allows } from '@hotline/security';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AssessmentService } from '../../assessment/assessment.service';
import { loadParticipants } from '../../assessment/participants';
import { CaseLeasesService } from '../../claims/case-leases.service';
import { CaseDetailView } from '../../cases/case-view';
import { CASE_ID } from '../../cases/cases.controller';
import { CasesService } from '../../cases/cases.service';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { ct } from '../i18n';
import { type PageContext, pageContext } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import { checkAssessmentForm, checkReason, checkReviewForm, problemsFromErrors, readVerdictForm, type VerdictFormValues } from './case/case-forms';
import { casePage, type CasePageModel, unsavedReason } from './case/case-page';

/** Refusals of claim-next after an assessment: the assessment is in, the queues page says why no next. */
const CLAIM_REFUSALS = new Set(['exposure_limit', 'lease_limit', 'resource_not_found']);

/** The service's refusals of an assessment by someone who no longer holds a live lease on the case. */
const LEASE_REFUSALS = new Set(['case_not_in_assessment', 'lease_held_by_other', 'lease_expired', 'lease_not_held']);

/**
 * The case page of analysts and senior analysts: the case as the viewer may see it (the URL
 * defanged, reporters never named, the verdict hidden from a blind reviewer), and what they do
 * with it: release, reveal (audited), assess with "submit and claim next", review, appeal. Every
 * action goes through the services the JSON API uses, which audit it in their transaction.
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class CasePages {
  constructor(
    private readonly cases: CasesService,
    private readonly assessment: AssessmentService,
    private readonly leases: CaseLeasesService,
    private readonly dataSource: DataSource,
    private readonly config: HotlineConfig,
  ) {}

  @Get('cases/:id')
  @Requires('cases.read')
  show(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('notice') said?: string,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    return this.render(request, reply, ctx, staff, id, { notice: said === 'appealed' ? ct(ctx.lang, 'analyst.case.appealed') : null });
  }

  /** Gives the case back to its queue and goes to the queues. */
  @Post('cases/:id/release')
  @HttpCode(200)
  @Requires('cases.claim')
  async release(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.leases.release(id, staff);
    request.audited = true;
    return redirectTo(reply, '/queues');
  }

  /** The raw URL, after the reason is written to the audit log: the same page, the URL as text. */
  @Post('cases/:id/reveal')
  @HttpCode(200)
  @Requires('cases.reveal')
  async reveal(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const reason = field(form, 'reason', 1000);
    const checked = checkReason('reveal', reason);
    if (checked === null) return this.render(request, reply, ctx, staff, id, { reveal: { reason, invalid: true } }, 400);
    const { url } = await this.assessment.reveal(id, { reason: checked }, staff);
    request.audited = true;
    return this.render(request, reply, ctx, staff, id, { revealedUrl: url });
  }

  /**
   * The lease holder's verdict. "Submit" goes back to the queues; "submit and claim next" claims
   * the next case of the queue this one came from (read before the assessment takes it out). A
   * verdict refused for want of a live lease (it lapsed while the analyst looked at the content
   * elsewhere, the case went back to its queue or to a colleague) is the case page again, 409, with
   * why and what was typed, to copy: nothing is thrown away, nothing is submitted.
   */
  @Post('cases/:id/assessment')
  @HttpCode(200)
  @Requires('cases.assess')
  async assess(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const view = await this.cases.detail(id, staff.id);
    const values = readVerdictForm(form);
    const unsaved = (now: CaseDetailView) => ({ unsaved: { values, reason: unsavedReason(now, staff.id) } });
    // A page left open after its lease went: the service would refuse it, before any field check.
    if (!holdsLiveLease(view, staff, ctx.now)) return this.render(request, reply, ctx, staff, id, unsaved(view), 409, view);
    const checked = checkAssessmentForm(values, this.config.legalCategories);
    if (!checked.ok) return this.render(request, reply, ctx, staff, id, { assessment: { values: checked.values, problems: checked.problems } }, 400, view);
    try {
      await this.assessment.assess(id, checked.body, staff);
    } catch (error) {
      const again = invalidAgain(error, values);
      if (again) return this.render(request, reply, ctx, staff, id, { assessment: again }, 400, view);
      // The lease lapsed between the page's check and the service's, in its transaction.
      if (error instanceof ProblemException && LEASE_REFUSALS.has(error.kind)) {
        const now = await this.cases.detail(id, staff.id);
        return this.render(request, reply, ctx, staff, id, unsaved(now), 409, now);
      }
      throw error;
    }
    request.audited = true;
    if (field(form, 'then') !== 'next' || !view.queue) return redirectTo(reply, '/queues');
    return this.claimNext(reply, view.queue, staff);
  }

  /** A senior analyst's review: with blind review their own verdict, otherwise confirm or overturn. */
  @Post('cases/:id/review')
  @HttpCode(200)
  @Requires('cases.review')
  async review(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const view = await this.cases.detail(id, staff.id);
    if (view.status !== 'pending_review') throw new ProblemException('case_not_pending_review', { params: { status: view.status } });
    const values = readVerdictForm(form);
    const checked = checkReviewForm(values, { blind: this.config.reviewBlind, legalCategories: this.config.legalCategories });
    if (!checked.ok) return this.render(request, reply, ctx, staff, id, { review: { values: checked.values, problems: checked.problems } }, 400, view);
    try {
      // A reviewer who took part is refused here (took_part), and the refusal audited.
      await this.assessment.review(id, checked.body, staff);
    } catch (error) {
      const again = invalidAgain(error, values);
      if (again) return this.render(request, reply, ctx, staff, id, { review: again }, 400, view);
      throw error;
    }
    request.audited = true;
    return redirectTo(reply, '/review');
  }

  /** Sends a decided case back to review, with the reason; back on the case page with a notice. */
  @Post('cases/:id/appeal')
  @HttpCode(200)
  @Requires('cases.appeal')
  async appeal(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const reason = field(form, 'reason', 1000);
    const checked = checkReason('appeal', reason);
    if (checked === null) return this.render(request, reply, ctx, staff, id, { appeal: { reason, invalid: true } }, 400);
    await this.assessment.appeal(id, { reason: checked }, staff);
    request.audited = true;
    return redirectTo(reply, `/cases/${id}?notice=appealed`);
  }

  private async claimNext(reply: FastifyReply, queue: string, staff: StaffPrincipal): Promise<string> {
    try {
      const next = await this.leases.claimNext(queue, staff);
      return redirectTo(reply, next ? `/cases/${next.id}` : `/queues?empty=${encodeURIComponent(queue)}`);
    } catch (error) {
      // The daily exposure limit (or the lease limit) stops the cycle: the queues page shows the stop.
      if (error instanceof ProblemException && CLAIM_REFUSALS.has(error.kind)) return redirectTo(reply, '/queues');
      throw error;
    }
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: PageContext,
    staff: StaffPrincipal,
    id: string,
    extras: Partial<CasePageModel>,
    status = 200,
    loaded?: CaseDetailView,
  ): Promise<string> {
    const view = loaded ?? (await this.cases.detail(id, staff.id));
    const holder = view.status === 'in_assessment' && view.lease?.assignee === staff.id;
    const [exposure, mayReview] = await Promise.all([
      holder && allows(staff.role, 'exposure.read-own') ? this.leases.exposure(staff.id) : null,
      view.status === 'pending_review' && allows(staff.role, 'cases.review') ? this.mayReview(id, staff.id) : null,
    ]);
    request.shownCaseIds = [id];
    const model: CasePageModel = { view, exposure, mayReview, reviewBlind: this.config.reviewBlind, legalCategories: this.config.legalCategories, ...extras };
    return pageReply(reply, ctx, casePage(ctx, model), status);
  }

  /** Whether the viewer took no part in the verdict under review; null when nothing was assessed. */
  private async mayReview(id: string, staffId: string): Promise<boolean | null> {
    const participants = await loadParticipants(this.dataSource, id);
    return participants ? canReview(staffId, participants) : null;
  }
}

/** Whether the viewer holds the case under a live lease, as the service requires (it checks again in its transaction). */
function holdsLiveLease(view: CaseDetailView, staff: StaffPrincipal, now: Date): boolean {
  return view.status === 'in_assessment' && view.lease?.assignee === staff.id && Date.parse(view.lease.expiresAt) > now.getTime();
}

/** A 400 of the service (its rules, checked again in the transaction) as the form shown again. */
function invalidAgain(error: unknown, values: VerdictFormValues): { values: VerdictFormValues; problems: ReturnType<typeof problemsFromErrors>['problems'] } | null {
  if (!(error instanceof ProblemException) || error.kind !== 'invalid_request') return null;
  const again = problemsFromErrors(error.details.errors, values);
  return { values: again.values, problems: again.problems };
}

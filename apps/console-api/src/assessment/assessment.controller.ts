import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CaseDetailView } from '../cases/case-view';
import { CASE_ID } from '../cases/cases.controller';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { AppealBody, AssessmentBody, RevealBody, RevealedUrlView, ReviewBody } from './assessment.dto';
import { AssessmentService } from './assessment.service';

/**
 * Verdicts: assessment by the lease holder, the four-eyes review, appeals, and revealing a URL.
 * Each records its own audit event in its transaction (`request.audited`), so the interceptor
 * does not add a second one.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class AssessmentController {
  constructor(private readonly assessment: AssessmentService) {}

  @Post(':id/assessment')
  @HttpCode(200)
  @Requires('cases.assess')
  @ApiOkResponse({ type: CaseDetailView })
  async assess(
    @Param('id', CASE_ID) id: string,
    @Body() body: AssessmentBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseDetailView> {
    const view = await this.assessment.assess(id, body, staff);
    request.audited = true;
    return view;
  }

  @Post(':id/review')
  @HttpCode(200)
  @Requires('cases.review')
  @ApiOkResponse({ type: CaseDetailView })
  async review(
    @Param('id', CASE_ID) id: string,
    @Body() body: ReviewBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseDetailView> {
    const view = await this.assessment.review(id, body, staff);
    request.audited = true;
    return view;
  }

  @Post(':id/appeal')
  @HttpCode(200)
  @Requires('cases.appeal')
  @ApiOkResponse({ type: CaseDetailView })
  async appeal(
    @Param('id', CASE_ID) id: string,
    @Body() body: AppealBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseDetailView> {
    const view = await this.assessment.appeal(id, body, staff);
    request.audited = true;
    return view;
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Requires('cases.reveal')
  @ApiOkResponse({ type: RevealedUrlView })
  async reveal(
    @Param('id', CASE_ID) id: string,
    @Body() body: RevealBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<RevealedUrlView> {
    const view = await this.assessment.reveal(id, body, staff);
    request.audited = true;
    return view;
  }
}

import { FieldProblem, ProblemException } from '@hotline/http';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CASE_ID } from '../cases/cases.controller';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { decodeEscalationCursor } from './escalation-cursor';
import { EscalationDetailView, EscalationPage } from './escalation-view';
import { EscalationsService, HOLD_REASON_LENGTH } from './escalations.service';

const MAX_LIMIT = 200;

export class HoldBody {
  @ApiProperty({ minLength: HOLD_REASON_LENGTH.min, maxLength: HOLD_REASON_LENGTH.max, description: 'Why police hold the notices (e.g. evidence is being preserved)' })
  @IsString()
  // The exact bounds (after trimming) are the service's; this only keeps a huge body out.
  @MaxLength(HOLD_REASON_LENGTH.max * 4)
  reason: string;
}

/**
 * The law-enforcement liaison's escalations (police referrals to their agency): the inbox, one
 * escalation, acknowledgement, a hold on the notices to the host, and the export package. Another
 * agency's escalation is 404, as one that does not exist.
 */
@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api/v1/escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @Requires('escalations.read')
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({
    type: EscalationPage,
    description: 'Unacknowledged first, most urgent first (unanswered notices, priority, an identifiable child, oldest); then the acknowledged, newest first',
  })
  async list(@CurrentStaff() staff: StaffPrincipal, @Query('limit') limitText?: string, @Query('cursor') cursorText?: string): Promise<EscalationPage> {
    const errors: FieldProblem[] = [];
    const limit = limitText === undefined ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: 'field.rule', params: { detail: `an integer 1..${MAX_LIMIT}` } });
    const cursor = cursorText === undefined ? null : decodeEscalationCursor(cursorText);
    if (cursor === undefined) errors.push({ field: 'cursor', message: 'field.invalid' });
    if (errors.length) throw new ProblemException('invalid_request', { errors });
    return this.escalations.inbox(staff, { limit, after: cursor ?? null });
  }

  @Get(':id')
  @Requires('escalations.read')
  @ApiOkResponse({ type: EscalationDetailView })
  get(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<EscalationDetailView> {
    return this.escalations.detail(staff, id);
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  @Requires('escalations.act')
  @ApiOkResponse({ type: EscalationDetailView, description: 'Acknowledged (again: unchanged)' })
  async acknowledge(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<EscalationDetailView> {
    const view = await this.escalations.acknowledge(staff, id);
    request.audited = true;
    return view;
  }

  @Post(':id/hold')
  @HttpCode(200)
  @Requires('escalations.act')
  @ApiOkResponse({ type: EscalationDetailView, description: 'Held; 409 when a hold is in force already' })
  async hold(
    @Param('id', CASE_ID) id: string,
    @Body() body: HoldBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<EscalationDetailView> {
    const view = await this.escalations.placeHold(staff, id, body.reason);
    request.audited = true;
    return view;
  }

  @Delete(':id/hold')
  @Requires('escalations.act')
  @ApiOkResponse({ type: EscalationDetailView, description: 'Lifted: the notices held go out; 409 when no hold of this agency is in force' })
  async lift(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<EscalationDetailView> {
    const view = await this.escalations.liftHold(staff, id);
    request.audited = true;
    return view;
  }

  @Get(':id/export')
  @Requires('escalations.read')
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description: 'ZIP: case.json, case.csv, timeline.csv, audit.csv and manifest.json (each file’s size and SHA-256); header X-Manifest-SHA256 is the manifest’s digest',
    schema: { type: 'string', format: 'binary' },
  })
  async export(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const download = await this.escalations.export(staff, id);
    request.audited = true;
    void reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${download.fileName}"`)
      .header('x-manifest-sha256', download.manifestSha256)
      .header('cache-control', 'no-store');
    return download.zip;
  }
}

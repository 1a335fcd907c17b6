import { ProblemException } from '@hotline/http';
import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { CaseDetailView } from '../cases/case-view';
import { CASE_ID } from '../cases/cases.controller';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { NotHostedHereView } from './not-hosted-here';
import { CaseContentService } from './case-content.service';

/** How far in the future a removal time may be (clock skew), in ms. */
const FUTURE_SKEW_MS = 5 * 60_000;

export class RemovalBody {
  @ApiPropertyOptional({ format: 'date-time', description: 'When the content was seen gone; now if omitted' })
  @IsOptional()
  @IsISO8601({ strict: true })
  removedAt?: string;
}

/**
 * Staff actions on a case's content. Removal: marks a confirmed (or actioned) case's content
 * removed: the removal clock of the statistics stops at `removedAt`. A case a partner hotline
 * forwarded to us tells that partner `removed` (a `case.status` message, delivered by the worker).
 * Not hosted here: a case a partner forwarded to us is not hosted in our country (see
 * not-hosted-here.ts).
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class RemovalController {
  constructor(private readonly content: CaseContentService) {}

  @Post(':id/removal')
  @HttpCode(200)
  @Requires('cases.act')
  @ApiOkResponse({ type: CaseDetailView })
  async remove(
    @Param('id', CASE_ID) id: string,
    @Body() body: RemovalBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseDetailView> {
    const removedAt = body.removedAt === undefined ? new Date() : new Date(body.removedAt);
    if (Number.isNaN(removedAt.getTime()) || removedAt.getTime() > Date.now() + FUTURE_SKEW_MS) {
      throw new ProblemException('invalid_request', { errors: [{ field: 'removedAt', message: 'field.rule', params: { detail: 'a date-time, not in the future' } }] });
    }
    const view = await this.content.markRemoved(id, removedAt, staff);
    request.audited = true;
    return view;
  }

  @Post(':id/not-hosted-here')
  @HttpCode(200)
  @Requires('cases.act')
  @ApiOkResponse({ type: NotHostedHereView, description: 'The partners told, and whether the case left the queue as out_of_remit' })
  async notHostedHere(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<NotHostedHereView> {
    const view = await this.content.markNotHostedHere(id, staff);
    request.audited = true;
    return view;
  }
}

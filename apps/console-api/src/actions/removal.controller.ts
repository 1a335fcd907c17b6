import { AuditLog } from '@hotline/audit';
import { recordCaseTransition } from '@hotline/persistence';
import { HotlineConfig } from '@hotline/config';
import { CaseStatus } from '@hotline/domain';
import { originPartnersOf, storeOutgoingMessage } from '@hotline/exchange';
import { ProblemException } from '@hotline/http';
import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { loadCaseDetail } from '../cases/case-detail';
import { CaseDetailView } from '../cases/case-view';
import { CASE_ID } from '../cases/cases.controller';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { markNotHostedHere, NotHostedHereView } from './not-hosted-here';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  @Post(':id/removal')
  @HttpCode(200)
  @Requires('cases.act')
  @ApiOkResponse({ type: CaseDetailView })
  async remove(@Param('id', CASE_ID) id: string, @Body() body: RemovalBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<CaseDetailView> {
    const removedAt = body.removedAt === undefined ? new Date() : new Date(body.removedAt);
    if (Number.isNaN(removedAt.getTime()) || removedAt.getTime() > Date.now() + FUTURE_SKEW_MS) {
      throw new ProblemException('invalid_request', { errors: [{ field: 'removedAt', message: 'field.rule', params: { detail: 'a date-time, not in the future' } }] });
    }
    const view = await this.dataSource.transaction(async (tx) => {
      const [row]: { status: CaseStatus }[] = await tx.query(`SELECT status FROM "case" WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw new ProblemException('resource_not_found');
      if (row.status !== 'confirmed' && row.status !== 'actioned') {
        throw new ProblemException('conflict', { params: { detail: `Only a confirmed or actioned case can be marked removed; this case is ${row.status}.` } });
      }
      let from = row.status;
      // confirmed -> actioned -> removed: content gone before any action was sent still passes through actioned.
      if (from === 'confirmed') {
        await recordCaseTransition(tx, id, from, 'actioned', { step: 'removal' });
        await tx.query(`UPDATE "case" SET status = 'actioned', updated_at = now() WHERE id = $1`, [id]);
        from = 'actioned';
      }
      await recordCaseTransition(tx, id, from, 'removed', { step: 'removal', removedAt: removedAt.toISOString() });
      await tx.query(`UPDATE "case" SET status = 'removed', removed_at = $2, queue = NULL, updated_at = now() WHERE id = $1`, [id, removedAt]);
      const partners = await originPartnersOf(tx, id);
      for (const origin of partners) {
        await storeOutgoingMessage(tx, { partnerId: origin.partnerId, caseId: id, type: 'case.status', body: { reference: origin.reference, status: 'removed', at: removedAt.toISOString() } });
      }
      await this.audit.append(
        { actor: { id: staff.id, role: staff.role }, action: 'case.removed', target: { type: 'case', id }, detail: { removedAt: removedAt.toISOString(), partnersTold: partners.length } },
        tx,
      );
      return loadCaseDetail(tx, id, staff.id, this.config.reviewBlind);
    });
    request.audited = true;
    return view;
  }

  @Post(':id/not-hosted-here')
  @HttpCode(200)
  @Requires('cases.act')
  @ApiOkResponse({ type: NotHostedHereView, description: 'The partners told, and whether the case left the queue as out_of_remit' })
  async notHostedHere(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<NotHostedHereView> {
    const view = await this.dataSource.transaction((tx) => markNotHostedHere(tx, this.audit, id, staff, this.config.reviewBlind));
    request.audited = true;
    return view;
  }
}


import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CASE_ID } from '../cases/cases.controller';
import { CaseView } from '../cases/case-view';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { CaseLeasesService } from './case-leases.service';

export class HeartbeatView {
  @ApiProperty({ format: 'date-time', description: 'The lease now lasts until then' })
  expiresAt: string;
}

export class ExposureView {
  @ApiProperty({ example: '2026-03-04', description: 'The UTC day counted' })
  date: string;

  @ApiProperty({ description: 'Time holding cases today' })
  heldSeconds: number;

  @ApiProperty({ description: 'EXPOSURE_DAILY_LIMIT' })
  limitSeconds: number;

  @ApiProperty({ description: 'Until claims are refused; 0 when the limit is reached' })
  remainingSeconds: number;

  @ApiProperty({ description: 'Cases held now' })
  openLeases: number;
}

/**
 * The analyst's hold on cases: claim the next case of a queue, keep it with heartbeats, give it
 * back. State changes write their own audit event in their transaction (request.audited).
 */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('api/v1')
export class ClaimsController {
  constructor(private readonly leases: CaseLeasesService) {}

  @Post('queues/:name/claim')
  @Requires('cases.claim')
  @ApiOkResponse({ type: CaseView, description: 'The claimed case' })
  @ApiNoContentResponse({ description: 'No case of the queue is free' })
  async claim(
    @Param('name') queue: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseView | undefined> {
    const claimed = await this.leases.claimNext(queue, staff);
    if (!claimed) {
      reply.status(204);
      return undefined;
    }
    request.audited = true;
    reply.status(200);
    return claimed;
  }

  @Post('cases/:id/heartbeat')
  @HttpCode(200)
  @Requires('cases.claim')
  @ApiOkResponse({ type: HeartbeatView })
  heartbeat(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<HeartbeatView> {
    return this.leases.heartbeat(id, staff);
  }

  @Post('cases/:id/leave')
  @HttpCode(200)
  @Requires('cases.claim')
  @ApiOkResponse({ type: HeartbeatView, description: 'The lease now lapses soon (LEAVE_GRACE_MS, 20 s) unless renewed: sent by the console when its page is left' })
  leave(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<HeartbeatView> {
    return this.leases.leave(id, staff);
  }

  @Post('cases/:id/release')
  @HttpCode(204)
  @Requires('cases.claim')
  @ApiNoContentResponse({ description: 'The case is back in its queue' })
  async release(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<void> {
    await this.leases.release(id, staff);
    request.audited = true;
  }

  @Get('me/exposure')
  @Requires('exposure.read-own')
  @ApiOkResponse({ type: ExposureView })
  exposure(@CurrentStaff() staff: StaffPrincipal): Promise<ExposureView> {
    return this.leases.exposure(staff.id);
  }
}

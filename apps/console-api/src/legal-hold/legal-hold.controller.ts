import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CASE_ID } from '../cases/cases.controller';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { LegalHoldBody, LegalHoldsView, LegalHoldView } from './legal-hold-view';
import { LegalHoldService } from './legal-hold.service';

/**
 * A legal hold on a case suspends the retention purge for it. Senior analysts and admins may hold
 * any case, liaisons the cases referred to their agency (others are 404). One hold at a time:
 * placing a second is 409, and so is lifting where none is in force.
 */
@ApiTags('legal-hold')
@ApiBearerAuth()
@Controller('api/v1/cases/:id/legal-hold')
export class LegalHoldController {
  constructor(private readonly holds: LegalHoldService) {}

  @Get()
  @Requires('legal-hold.manage')
  @ApiOkResponse({ type: LegalHoldsView })
  list(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<LegalHoldsView> {
    return this.holds.list(staff, id);
  }

  @Post()
  @HttpCode(201)
  @Requires('legal-hold.manage')
  @ApiCreatedResponse({ type: LegalHoldView, description: 'Held: the purge takes nothing of the case until lifted; 409 when a hold is in force already' })
  async place(
    @Param('id', CASE_ID) id: string,
    @Body() body: LegalHoldBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<LegalHoldView> {
    const hold = await this.holds.place(staff, id, body.reason);
    request.audited = true;
    return hold;
  }

  @Delete()
  @Requires('legal-hold.manage')
  @ApiOkResponse({ type: LegalHoldView, description: 'Lifted (with why): the next purge takes what is due; 409 when no hold is in force' })
  async lift(
    @Param('id', CASE_ID) id: string,
    @Body() body: LegalHoldBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<LegalHoldView> {
    const hold = await this.holds.lift(staff, id, body.reason);
    request.audited = true;
    return hold;
  }
}

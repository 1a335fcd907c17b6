import { Partner, PartnerDirectory, PartnerDirectoryError, PARTNER_NAME, PartnerStateReason } from '@hotline/exchange';
import { ProblemException, ProblemKind } from '@hotline/http';
import { Body, Controller, Get, HttpCode, Param, PipeTransform, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../staff-access/staff-principal';
import { AddPartnerBody, partnerView, PartnerView, SetPartnerKeyBody } from './partners.dto';

/** The problem (409, its own type and words) for each state a partner change can be refused in. */
const STATE_PROBLEMS: Record<PartnerStateReason, ProblemKind> = {
  no_next_key: 'partner_no_next_key',
};

/** A partner name in a path: anything else is a partner that does not exist. */
const PARTNER_NAME_PARAM: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!PARTNER_NAME.test(value)) throw new ProblemException('resource_not_found');
    return value;
  },
};

/**
 * The partner hotlines we exchange cases with (admins): register one (our key pair for it is made,
 * its public key returned for the partner), list, disable, rotate our key without a gap (prepare
 * the next one, then activate it once the partner has it), install theirs. Each
 * change is audited by the directory, in its transaction.
 */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('api/v1/partners')
export class PartnersController {
  constructor(private readonly partners: PartnerDirectory) {}

  @Get()
  @Requires('partners.manage')
  @ApiOkResponse({ type: [PartnerView] })
  async list(): Promise<PartnerView[]> {
    return (await this.partners.list()).map(partnerView);
  }

  @Post()
  @Requires('partners.manage')
  @ApiCreatedResponse({ type: PartnerView, description: 'Registered; give the partner ourPublicKey' })
  add(@Body() body: AddPartnerBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<PartnerView> {
    return this.change(request, () =>
      this.partners.add(
        { name: body.name, countries: body.countries, baseUrl: body.baseUrl, theirPublicKey: body.publicKey, rateLimitPerMinute: body.rateLimitPerMinute },
        actorOf(staff),
      ),
    );
  }

  @Post(':name/disable')
  @HttpCode(200)
  @Requires('partners.manage')
  @ApiOkResponse({ type: PartnerView })
  disable(@Param('name', PARTNER_NAME_PARAM) name: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<PartnerView> {
    return this.change(request, () => this.partners.disable(name, actorOf(staff)));
  }

  @Post(':name/rotate-key')
  @HttpCode(200)
  @Requires('partners.manage')
  @ApiOkResponse({
    type: PartnerView,
    description: 'Our next key for this partner is prepared (nextKeyId, nextPublicKey: give it to the partner); we keep signing with ourKeyId until activate-key',
  })
  rotateKey(@Param('name', PARTNER_NAME_PARAM) name: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<PartnerView> {
    return this.change(request, () => this.partners.rotateKey(name, actorOf(staff)));
  }

  @Post(':name/activate-key')
  @HttpCode(200)
  @Requires('partners.manage')
  @ApiOkResponse({ type: PartnerView, description: 'Our prepared next key is now ourKeyId: what we send the partner is signed with it' })
  @ApiConflictResponse({ description: 'No next key was prepared (rotate-key first)' })
  activateKey(@Param('name', PARTNER_NAME_PARAM) name: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<PartnerView> {
    return this.change(request, () => this.partners.activateKey(name, actorOf(staff)));
  }

  @Post(':name/key')
  @HttpCode(200)
  @Requires('partners.manage')
  @ApiOkResponse({ type: PartnerView, description: "The partner's new public key is installed" })
  setKey(
    @Param('name', PARTNER_NAME_PARAM) name: string,
    @Body() body: SetPartnerKeyBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<PartnerView> {
    return this.change(request, () => this.partners.setKey(name, body.publicKey, actorOf(staff)));
  }

  /** Runs a directory change (which audits itself) and answers with the partner. */
  private async change(request: FastifyRequest, change: () => Promise<Partner>): Promise<PartnerView> {
    try {
      const partner = await change();
      request.audited = true;
      return partnerView(partner);
    } catch (error) {
      if (!(error instanceof PartnerDirectoryError)) throw error;
      if (error.kind === 'not_found') throw new ProblemException('resource_not_found');
      // Not possible as the partner is now (activating a key never prepared).
      if (error.kind === 'state' && error.state) throw new ProblemException(STATE_PROBLEMS[error.state.reason], { params: { name: error.state.partner } });
      if (error.kind === 'state') throw new ProblemException('conflict', { params: { detail: error.message } });
      // Bad input, or a name or key another partner has.
      throw new ProblemException('invalid_request', { errors: [{ field: error.field ?? 'body', message: 'field.rule', params: { detail: error.message } }] });
    }
  }
}

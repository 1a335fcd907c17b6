import { ProblemException } from '@hotline/http';
import { InvalidRoutingRulesError, RoutingRulesRepository, RoutingRuleSet } from '@hotline/persistence';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';

export class RoutingRuleSetView {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Ordered; first match wins; the last rule matches everything. See libs/domain/src/triage/routing.ts.',
    example: [
      { name: 'urgent', match: { minPriority: 70 }, queue: 'urgent' },
      { name: 'standard', match: {}, queue: 'standard' },
    ],
  })
  rules: unknown[];

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty()
  updatedBy: string;
}

/** Routing rules as data: read, and replaced as a whole after validation (admins). */
@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/routing-rules')
export class RoutingRulesController {
  constructor(private readonly rules: RoutingRulesRepository) {}

  @Get()
  @Requires('routing.read')
  @ApiOkResponse({ type: RoutingRuleSetView })
  current(): Promise<RoutingRuleSet> {
    return this.rules.current();
  }

  @Put()
  @Requires('routing.manage')
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } } })
  @ApiOkResponse({ type: RoutingRuleSetView })
  async replace(@Body() body: unknown, @CurrentStaff() staff: StaffPrincipal): Promise<RoutingRuleSet> {
    try {
      return await this.rules.replace(body, staff.email);
    } catch (error) {
      if (error instanceof InvalidRoutingRulesError) {
        throw new ProblemException('invalid_request', {
          errors: error.errors.map((detail) => ({ field: detail.split(' ')[0], message: 'field.rule' as const, params: { detail } })),
        });
      }
      throw error;
    }
  }
}

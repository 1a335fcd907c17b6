import { CASE_STATUSES, QUEUE_NAME_PATTERN } from '@hotline/domain';
import { FieldProblem, ProblemException } from '@hotline/http';
import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { CaseDetailView, CaseView } from './case-view';
import { decodeCursor } from './case-cursor';
import { CasesService } from './cases.service';

/** Case ids are UUIDv7; anything else names no case. */
export const CASE_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException('resource_not_found') });

const MAX_LIMIT = 200;

export class CasePage {
  @ApiProperty({ type: [CaseView] })
  items: CaseView[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  nextCursor: string | null;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get()
  @Requires('cases.read')
  @ApiQuery({ name: 'queue', required: false })
  @ApiQuery({ name: 'status', required: false, enum: CASE_STATUSES })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: CasePage })
  async list(
    @Query('queue') queue?: string,
    @Query('status') status?: string,
    @Query('limit') limitText?: string,
    @Query('cursor') cursorText?: string,
  ): Promise<CasePage> {
    const errors: FieldProblem[] = [];
    if (queue !== undefined && !QUEUE_NAME_PATTERN.test(queue)) errors.push({ field: 'queue', message: 'field.invalid' });
    if (status !== undefined && !(CASE_STATUSES as readonly string[]).includes(status)) {
      errors.push({ field: 'status', message: 'field.one_of', params: { values: CASE_STATUSES.join(', ') } });
    }
    const limit = limitText === undefined ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: 'field.rule', params: { detail: `an integer 1..${MAX_LIMIT}` } });
    const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
    if (cursor === undefined) errors.push({ field: 'cursor', message: 'field.invalid' });
    if (errors.length) throw new ProblemException('invalid_request', { errors });

    return this.cases.page({ queue: queue ?? null, status: status ?? null, limit, after: cursor ?? null });
  }

  @Get(':id')
  @Requires('cases.read')
  @ApiOkResponse({ type: CaseDetailView })
  async get(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<CaseDetailView> {
    return this.cases.detail(id, staff.id);
  }
}

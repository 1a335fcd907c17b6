import { HotlineConfig } from '@hotline/config';
import { CASE_STATUSES } from '@hotline/domain';
import { FieldProblem, ProblemException } from '@hotline/http';
import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { loadCaseDetail } from './case-detail';
import { CASE_RECORD_COLUMNS, CaseDetailView, CaseRecord, CaseView, toCaseView } from './case-view';

/** Case ids are UUIDv7; anything else names no case. */
export const CASE_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException('resource_not_found') });

const MAX_LIMIT = 200;
const QUEUE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export class CasePage {
  @ApiProperty({ type: [CaseView] })
  items: CaseView[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  nextCursor: string | null;
}

interface Cursor {
  priority: number;
  at: string;
  id: string;
}

// Pages follow the review order: highest priority first, then longest waiting.
const ORDER_AT = `coalesce(queued_at, first_reported_at)`;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: HotlineConfig,
  ) {}

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
    if (queue !== undefined && !QUEUE_NAME.test(queue)) errors.push({ field: 'queue', message: 'field.invalid' });
    if (status !== undefined && !(CASE_STATUSES as readonly string[]).includes(status)) {
      errors.push({ field: 'status', message: 'field.one_of', params: { values: CASE_STATUSES.join(', ') } });
    }
    const limit = limitText === undefined ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: 'field.rule', params: { detail: `an integer 1..${MAX_LIMIT}` } });
    const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
    if (cursor === undefined) errors.push({ field: 'cursor', message: 'field.invalid' });
    if (errors.length) throw new ProblemException('invalid_request', { errors });

    const params: unknown[] = [queue ?? null, status ?? null, limit + 1];
    let after = '';
    if (cursor) {
      params.push(cursor.priority, cursor.at, cursor.id);
      after = `AND (priority < $4 OR (priority = $4 AND (${ORDER_AT} > $5::timestamptz OR (${ORDER_AT} = $5::timestamptz AND id > $6))))`;
    }
    // The cursor keeps the timestamp as PostgreSQL wrote it: microseconds, which a JS Date would cut.
    const rows: (CaseRecord & { order_at: string })[] = await this.dataSource.query(
      `SELECT ${CASE_RECORD_COLUMNS}, ${ORDER_AT}::text AS order_at FROM "case"
        WHERE ($1::text IS NULL OR queue = $1) AND ($2::text IS NULL OR status = $2) ${after}
        ORDER BY priority DESC, ${ORDER_AT}, id LIMIT $3`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCaseView),
      nextCursor: rows.length > limit && last ? encodeCursor({ priority: last.priority, at: last.order_at, id: last.id }) : null,
    };
  }

  @Get(':id')
  @Requires('cases.read')
  @ApiOkResponse({ type: CaseDetailView })
  async get(@Param('id', CASE_ID) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<CaseDetailView> {
    return loadCaseDetail(this.dataSource.manager, id, staff.id, this.config.reviewBlind);
  }
}

// timestamptz as PostgreSQL writes it as text, e.g. `2026-11-22 21:30:05.123456+00`.
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.priority, cursor.at, cursor.id])).toString('base64url');
}

/** undefined when the text is not a cursor this API wrote. */
function decodeCursor(text: string): Cursor | undefined {
  try {
    const [priority, at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Number.isInteger(priority) && typeof at === 'string' && PG_TIMESTAMP.test(at) && /^[0-9a-f-]{36}$/.test(id)) return { priority, at, id };
  } catch {
    // not JSON
  }
  return undefined;
}

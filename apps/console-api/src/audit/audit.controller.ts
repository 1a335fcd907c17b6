import { AuditLog, ChainedAuditRecord } from '@hotline/audit';
import { FieldProblem, ProblemException } from '@hotline/http';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Requires } from '../staff-access/access.decorators';

const MAX_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Actions are dotted verbs (`user.created`) or `METHOD /route` of the audit trail.
const ACTION = /^[\x21-\x7e][\x20-\x7e]{0,199}$/;

export class AuditVerdictView {
  @ApiProperty({ description: 'Whether every event hashes to its stored hash and links to the one before' })
  ok: boolean;

  @ApiProperty({ description: 'How many events were checked' })
  events: number;

  @ApiPropertyOptional({ description: 'The sequence number of the first changed, removed or inserted event (only when not ok)' })
  firstBrokenSeq?: number;
}

export class AuditEventView {
  @ApiProperty()
  seq: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'null for the CLI, the system or an unknown login email' })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'analyst' })
  actorRole: string | null;

  @ApiProperty({ example: 'auth.login' })
  action: string;

  @ApiProperty({ type: String, nullable: true })
  targetType: string | null;

  @ApiProperty({ type: String, nullable: true })
  targetId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Metadata only: ids, reasons, outcomes; never case content' })
  detail: Record<string, unknown>;

  @ApiProperty({ description: 'sha256 hex of the previous event (zeros for the first)' })
  prevHash: string;

  @ApiProperty({ description: 'sha256 hex over prevHash and this event' })
  hash: string;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEventView] })
  items: AuditEventView[];

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Pass as before for the next (older) page; null on the last' })
  nextBefore: number | null;
}

/**
 * The tamper-evident audit log, for admins and regulators: its events (metadata only, newest
 * first) and a check of the whole hash chain.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get('verify')
  @Requires('audit.verify')
  @ApiOkResponse({ type: AuditVerdictView })
  verify(): Promise<AuditVerdictView> {
    return this.audit.verify();
  }

  @Get()
  @Requires('audit.read')
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } })
  @ApiQuery({ name: 'before', required: false, description: 'Only events with a smaller sequence number', schema: { type: 'integer', minimum: 1 } })
  @ApiQuery({ name: 'action', required: false, description: 'Only this action, e.g. auth.login_failed' })
  @ApiQuery({ name: 'actorId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: AuditPage })
  async list(
    @Query('limit') limitText?: string,
    @Query('before') beforeText?: string,
    @Query('action') action?: string,
    @Query('actorId') actorId?: string,
  ): Promise<AuditPage> {
    const errors: FieldProblem[] = [];
    const limit = limitText === undefined ? 50 : /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: 'field.rule', params: { detail: `an integer 1..${MAX_LIMIT}` } });
    const before = beforeText === undefined ? undefined : /^[1-9]\d{0,14}$/.test(beforeText) ? Number(beforeText) : NaN;
    if (Number.isNaN(before)) errors.push({ field: 'before', message: 'field.rule', params: { detail: 'a positive integer (a sequence number)' } });
    if (action !== undefined && (typeof action !== 'string' || !ACTION.test(action))) errors.push({ field: 'action', message: 'field.invalid' });
    if (actorId !== undefined && (typeof actorId !== 'string' || !UUID.test(actorId))) errors.push({ field: 'actorId', message: 'field.invalid' });
    if (errors.length) throw new ProblemException('invalid_request', { errors });

    const rows = await this.audit.list({ limit: limit + 1, before, action, actorId });
    const page: ChainedAuditRecord[] = rows.slice(0, limit);
    return { items: page, nextBefore: rows.length > limit ? page[page.length - 1].seq : null };
  }
}

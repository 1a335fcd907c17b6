import { parseAbuseContactsCsv } from '@hotline/enrichment';
import { FieldProblem, ProblemException } from '@hotline/http';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../staff-access/staff-principal';
import { AbuseContactDirectory, AbuseContactDirectoryError, decodeAbuseContactCursor, MAX_ABUSE_CONTACT_QUERY } from './abuse-contact-directory';
import { AbuseContactBody, AbuseContactImportView, AbuseContactPageView, AbuseContactView, abuseContactView } from './abuse-contacts.dto';
import { csvText } from './csv-body';

/** Contact ids are UUIDs; anything else names no contact. */
const CONTACT_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException('resource_not_found') });
/** The bad lines a refused import lists; the count of the rest follows. */
const MAX_LINES_LISTED = 100;

/**
 * The abuse-contact directory (admins): the desks of hosting providers that notices go to, one a
 * registrable domain or an AS number. Changes are audited by the directory, in their
 * transaction; a CSV import is all or nothing.
 */
@ApiTags('abuse-contacts')
@ApiBearerAuth()
@Controller('api/v1/abuse-contacts')
export class AbuseContactsController {
  constructor(private readonly directory: AbuseContactDirectory) {}

  @Get()
  @Requires('abuse-contacts.manage')
  @ApiQuery({ name: 'q', required: false, description: 'Text in the organisation, email, domain or note, or digits of the AS number' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ type: AbuseContactPageView })
  async list(@Query('q') q?: unknown, @Query('cursor') cursorText?: unknown): Promise<AbuseContactPageView> {
    const errors: FieldProblem[] = [];
    if (q !== undefined && (typeof q !== 'string' || q.length > MAX_ABUSE_CONTACT_QUERY)) {
      errors.push({ field: 'q', message: 'field.rule', params: { detail: `text of at most ${MAX_ABUSE_CONTACT_QUERY} characters` } });
    }
    const cursor = cursorText === undefined ? null : typeof cursorText === 'string' ? decodeAbuseContactCursor(cursorText) : undefined;
    if (cursor === undefined) errors.push({ field: 'cursor', message: 'field.invalid' });
    if (errors.length > 0) throw new ProblemException('invalid_request', { errors });
    const page = await this.directory.page({ text: (q as string | undefined) ?? null, cursor });
    return { contacts: page.contacts.map(abuseContactView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Requires('abuse-contacts.manage')
  @ApiOkResponse({ type: AbuseContactView })
  async get(@Param('id', CONTACT_ID) id: string): Promise<AbuseContactView> {
    const row = await this.directory.get(id);
    if (!row) throw new ProblemException('resource_not_found');
    return abuseContactView(row);
  }

  @Post()
  @Requires('abuse-contacts.manage')
  @ApiCreatedResponse({ type: AbuseContactView })
  @ApiConflictResponse({ description: 'Another contact already answers for this domain or AS number' })
  create(@Body() body: AbuseContactBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<AbuseContactView> {
    return this.change(request, () => this.directory.create(body, actorOf(staff)));
  }

  @Put(':id')
  @Requires('abuse-contacts.manage')
  @ApiOkResponse({ type: AbuseContactView })
  @ApiConflictResponse({ description: 'Another contact already answers for this domain or AS number' })
  update(
    @Param('id', CONTACT_ID) id: string,
    @Body() body: AbuseContactBody,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<AbuseContactView> {
    return this.change(request, () => this.directory.update(id, body, actorOf(staff)));
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('abuse-contacts.manage')
  @ApiNoContentResponse({ description: 'Deleted (notices already sent keep their recipient)' })
  async delete(@Param('id', CONTACT_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<void> {
    await this.change(request, () => this.directory.delete(id, actorOf(staff)));
  }

  @Post('import')
  @HttpCode(200)
  @Requires('abuse-contacts.manage')
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', example: 'organisation,email,language,domain,asn,note\nExample Hosting,abuse@example-hosting.example,en,,AS64500,\n' },
    description: 'CSV with the header organisation,email,language,domain,asn,note (columns in any order; language and note optional), at most 5 MB',
  })
  @ApiOkResponse({ type: AbuseContactImportView, description: 'Imported: a known domain or AS number got the new fields (updated), the others were added (created)' })
  @ApiBadRequestResponse({ description: 'A bad line (each listed as `line <n>`): nothing was imported' })
  async import(@Body() body: unknown, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<AbuseContactImportView> {
    const { contacts, errors } = parseAbuseContactsCsv(csvText(body));
    if (errors.length === 0 && contacts.length === 0) errors.push({ line: 1, message: 'the file holds no contacts' });
    if (errors.length > 0) throw refusedLines(errors);
    const counts = await this.directory.import(
      contacts.map((c) => c.contact),
      'csv',
      actorOf(staff),
      { via: 'api', lines: contacts.length },
    );
    request.audited = true;
    return { ...counts, errors: [] };
  }

  /** Runs a directory change (which audits itself) and answers with the contact. */
  private async change(request: FastifyRequest, run: () => Promise<Parameters<typeof abuseContactView>[0]>): Promise<AbuseContactView> {
    try {
      const row = await run();
      request.audited = true;
      return abuseContactView(row);
    } catch (error) {
      throw problemOf(error);
    }
  }
}

/** A directory refusal as its problem: 404, 409 (a domain or ASN taken), 400 with the fields. */
export function problemOf(error: unknown): unknown {
  if (!(error instanceof AbuseContactDirectoryError)) return error;
  if (error.kind === 'not_found') return new ProblemException('resource_not_found');
  if (error.kind === 'taken') {
    return new ProblemException('abuse_contact_taken', {
      errors: [{ field: error.field ?? 'domain', message: 'field.rule', params: { detail: error.message } }],
    });
  }
  return new ProblemException('invalid_request', {
    errors: error.problems.map((p) => ({ field: p.field, message: 'field.rule' as const, params: { detail: p.message } })),
  });
}

/** A refused import: each bad line as a field error `line <n>`, the first MAX_LINES_LISTED of them. */
function refusedLines(errors: readonly { line: number; message: string }[]): ProblemException {
  const listed: FieldProblem[] = errors.slice(0, MAX_LINES_LISTED).map((e) => ({ field: `line ${e.line}`, message: 'field.rule', params: { detail: e.message } }));
  if (errors.length > MAX_LINES_LISTED)
    listed.push({ field: 'body', message: 'field.rule', params: { detail: `and ${errors.length - MAX_LINES_LISTED} more bad lines` } });
  return new ProblemException('invalid_request', { errors: listed });
}

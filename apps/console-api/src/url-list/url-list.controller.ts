import { ProblemException } from '@hotline/http';
import type { ApiKeyRow } from '@hotline/persistence';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiKeyScope, CurrentApiKey } from '../staff-access/access.decorators';
import { parseSince, type UrlListKind } from './url-list-format';
import { type UrlListFormat, UrlListService } from './url-list.service';

const HASH_DESCRIPTION = 'SHA-256 (lower-case hex) of the UTF-8 bytes of the canonical URL, exactly as in `url` of the URL list';

export class UrlListEntryView {
  @ApiPropertyOptional({ description: 'The canonical URL (URL list only; never in the hashes list)' })
  url?: string;
  @ApiProperty({ description: HASH_DESCRIPTION, pattern: '^[0-9a-f]{64}$' })
  sha256!: string;
  @ApiProperty({ format: 'date-time', description: 'When it joined the list' })
  listedAt!: string;
}

export class UrlListRemovedView {
  @ApiPropertyOptional({ description: 'The canonical URL (URL list only; never in the hashes list)' })
  url?: string;
  @ApiProperty({ description: HASH_DESCRIPTION, pattern: '^[0-9a-f]{64}$' })
  sha256!: string;
  @ApiProperty({ format: 'date-time', description: 'When it left the list (removed from the web, or the case reconsidered)' })
  removedAt!: string;
}

export class UrlListView {
  @ApiProperty({ description: 'The list version this is (also the ETag); ask for ?since=<version> next time' })
  version!: number;
  @ApiPropertyOptional({ description: 'Delta only: the version the changes are since' })
  since?: number;
  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;
  @ApiPropertyOptional({ description: 'Full list only: how many entries' })
  count?: number;
  @ApiPropertyOptional({ type: [UrlListEntryView], description: 'Full list only: every listed entry' })
  entries?: UrlListEntryView[];
  @ApiPropertyOptional({ type: [UrlListEntryView], description: 'Delta only: entries listed since `since`' })
  added?: UrlListEntryView[];
  @ApiPropertyOptional({ type: [UrlListRemovedView], description: 'Delta only: entries no longer listed since `since` (apply as a set removal)' })
  removed?: UrlListRemovedView[];
}

const SINCE = ApiQuery({
  name: 'since',
  required: false,
  description: 'A version received before: answers with what changed after it instead of the full list. A version not handed out yet is 400.',
  schema: { type: 'string', pattern: '^[0-9]{1,15}$' },
});

/**
 * The confirmed-URL list for subscribers (ISPs, filter vendors), by API key only (docs/url-list.md):
 * confirmed and actioned cases whose content is not yet removed. Two lists, chosen by the path,
 * never by the key: `url-list` with the canonical URLs (scope url_list) and `url-list/hashes`
 * with only their SHA-256 (scope url_list_hashes, or url_list), for subscribers that must not
 * hold the URLs. A hashes-only key asking for URLs is 403.
 */
@ApiTags('url-list')
@ApiBearerAuth()
@Controller('api/v1')
export class UrlListController {
  constructor(private readonly urlList: UrlListService) {}

  @Get('url-list')
  @ApiKeyScope('url_list')
  @ApiOperation({ summary: 'The confirmed-URL list (JSON), or its changes since a version', description: `Scope url_list. sha256: ${HASH_DESCRIPTION}.` })
  @SINCE
  @ApiOkResponse({ type: UrlListView })
  urls(@CurrentApiKey() key: ApiKeyRow, @Query('since') since: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(key, 'urls', 'json', since, reply);
  }

  @Get('url-list.csv')
  @ApiKeyScope('url_list')
  @ApiOperation({
    summary: 'The confirmed-URL list (CSV), or its changes since a version',
    description: `Scope url_list. Header url,sha256,listed_at; a delta: change,url,sha256,changed_at with change added|removed. Version in ETag and X-Url-List-Version. sha256: ${HASH_DESCRIPTION}.`,
  })
  @SINCE
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV, CRLF line ends', schema: { type: 'string' } })
  urlsCsv(@CurrentApiKey() key: ApiKeyRow, @Query('since') since: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(key, 'urls', 'csv', since, reply);
  }

  @Get('url-list/hashes')
  @ApiKeyScope('url_list_hashes', 'url_list')
  @ApiOperation({
    summary: 'The SHA-256 of each confirmed URL (JSON), or their changes since a version',
    description: `Scope url_list_hashes (or url_list). No URL. sha256: ${HASH_DESCRIPTION}.`,
  })
  @SINCE
  @ApiOkResponse({ type: UrlListView })
  hashes(@CurrentApiKey() key: ApiKeyRow, @Query('since') since: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(key, 'hashes', 'json', since, reply);
  }

  @Get('url-list/hashes.csv')
  @ApiKeyScope('url_list_hashes', 'url_list')
  @ApiOperation({
    summary: 'The SHA-256 of each confirmed URL (CSV), or their changes since a version',
    description: `Scope url_list_hashes (or url_list). Header sha256,listed_at; a delta: change,sha256,changed_at. sha256: ${HASH_DESCRIPTION}.`,
  })
  @SINCE
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV, CRLF line ends', schema: { type: 'string' } })
  hashesCsv(@CurrentApiKey() key: ApiKeyRow, @Query('since') since: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(key, 'hashes', 'csv', since, reply);
  }

  private async answer(key: ApiKeyRow, kind: UrlListKind, format: UrlListFormat, rawSince: unknown, reply: FastifyReply) {
    const since = rawSince === undefined ? null : parseSince(rawSince);
    if (rawSince !== undefined && since === null) throw new ProblemException('invalid_request', { errors: [{ field: 'since', message: 'field.invalid' }] });
    const download = await this.urlList.download(key, { kind, format, since });
    // The list changes with every confirmation and removal: nothing may keep a copy on the way.
    reply.header('cache-control', 'no-store');
    reply.header('etag', `"${download.version}"`);
    reply.header('x-url-list-version', String(download.version));
    if (format === 'csv') reply.header('content-type', 'text/csv; charset=utf-8');
    return download.body;
  }
}

import { ProblemException } from '@hotline/http';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, Requires } from '../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../staff-access/staff-principal';
import { ApiKeyDesk, ApiKeyDeskError } from './api-key-desk';
import { ApiKeyView, apiKeyView, CreateApiKeyBody, CreatedApiKeyView } from './api-keys.dto';

export const KEY_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException('resource_not_found') });

/**
 * Organisations' API keys (admins): URL-list subscribers and trusted bulk sources. A new key is in
 * the answer to its creation only (no-store); listings show its prefix. Audited by the desk.
 */
@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly desk: ApiKeyDesk) {}

  @Get()
  @Requires('api-keys.manage')
  @ApiOkResponse({ type: [ApiKeyView], description: 'Live keys first, newest first; never a key' })
  async list(): Promise<ApiKeyView[]> {
    return (await this.desk.list()).map(apiKeyView);
  }

  @Post()
  @Requires('api-keys.manage')
  @Header('cache-control', 'no-store')
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'Created; `key` is shown this once' })
  async create(@Body() body: CreateApiKeyBody, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<CreatedApiKeyView> {
    try {
      const { row, key } = await this.desk.create(body, actorOf(staff));
      request.audited = true;
      return { ...apiKeyView(row), key };
    } catch (error) {
      throw problemOf(error);
    }
  }

  @Post(':id/revocation')
  @HttpCode(200)
  @Requires('api-keys.manage')
  @ApiOkResponse({ type: ApiKeyView, description: 'Revoked: the key authenticates nothing from now on' })
  @ApiConflictResponse({ description: 'Revoked already' })
  async revoke(@Param('id', KEY_ID) id: string, @CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<ApiKeyView> {
    try {
      const row = await this.desk.revoke(id, actorOf(staff));
      request.audited = true;
      return apiKeyView(row);
    } catch (error) {
      throw problemOf(error);
    }
  }
}

function problemOf(error: unknown): unknown {
  if (!(error instanceof ApiKeyDeskError)) return error;
  if (error.kind === 'not_found') return new ProblemException('resource_not_found');
  if (error.kind === 'revoked') return new ProblemException('api_key_revoked');
  return new ProblemException('invalid_request', { errors: [{ field: error.field ?? 'body', message: 'field.rule', params: { detail: error.message } }] });
}

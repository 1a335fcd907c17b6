import { API_KEY_SCOPES, type ApiKeyRow, type ApiKeyScope } from '@hotline/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { MAX_API_KEY_NAME_LENGTH, MAX_DAILY_QUOTA } from './api-key-desk';

export class CreateApiKeyBody {
  @ApiProperty({ maxLength: MAX_API_KEY_NAME_LENGTH, example: 'Example ISP filter' })
  @IsString()
  @MaxLength(MAX_API_KEY_NAME_LENGTH)
  name: string;

  @ApiProperty({
    type: [String],
    enum: API_KEY_SCOPES,
    description: 'url_list: the confirmed-URL list with the URLs; url_list_hashes: SHA-256 only; bulk_reports: submit bulk reports',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsString({ each: true })
  scopes: string[];

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_DAILY_QUOTA, description: 'bulk_reports only: URLs a day (default BULK_DAILY_QUOTA)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  dailyQuota?: number | null;
}

/** A key as admins see it: never the key nor its hash, only its public prefix. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The public part of the key (hlk_<prefix>_...)' }) prefix: string;
  @ApiProperty({ type: [String], enum: API_KEY_SCOPES }) scopes: ApiKeyScope[];
  @ApiProperty({ type: Number, nullable: true }) dailyQuota: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key: shown this once, never again (only its hash is kept)' })
  key: string;
}

export function apiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    dailyQuota: row.daily_quota,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

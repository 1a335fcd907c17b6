import { ABUSE_CONTACT_LANGUAGES, MAX_NOTE_LENGTH, MAX_ORGANISATION_LENGTH } from '@hotline/enrichment';
import type { AbuseContactRow, AbuseContactSource } from '@hotline/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/**
 * A contact as an admin gives it. Types and lengths are checked here; what the fields mean (an
 * email a notice can go to, a registrable domain, an AS number, exactly one of the two) by
 * @hotline/enrichment's parseAbuseContact, which the imports use too.
 */
export class AbuseContactBody {
  @ApiProperty({ maxLength: MAX_ORGANISATION_LENGTH, example: 'Example Hosting, Inc.' })
  @IsString()
  @MaxLength(MAX_ORGANISATION_LENGTH)
  organisation: string;

  @ApiProperty({ example: 'abuse@example-hosting.example', description: 'A plain address local@domain (no display name, quotes or commas)' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ enum: ABUSE_CONTACT_LANGUAGES, default: 'en', description: 'BCP 47 tag; its primary language is kept (de-AT is de)' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'example.com', description: 'The registrable domain it answers for (IDN as typed or punycode); or asn' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  domain?: string | null;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'integer', minimum: 1, maximum: 4294967295 },
      { type: 'string', example: 'AS64500' },
    ],
    nullable: true,
    description: 'The autonomous system it answers for; or domain',
  })
  @IsOptional()
  @ValidateIf((body: AbuseContactBody) => typeof body.asn !== 'number')
  @IsString({ message: 'asn must be an integer or a string such as AS64500' })
  @MaxLength(12)
  asn?: number | string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_NOTE_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string | null;
}

export class AbuseContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() organisation: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ABUSE_CONTACT_LANGUAGES }) language: string;
  @ApiProperty({ type: String, nullable: true }) domain: string | null;
  @ApiProperty({ type: Number, nullable: true }) asn: number | null;
  @ApiProperty({ enum: ['manual', 'csv', 'rdap'] }) source: AbuseContactSource;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AbuseContactPageView {
  @ApiProperty({ type: [AbuseContactView] })
  contacts: AbuseContactView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  nextCursor: string | null;
}

export class AbuseContactImportView {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { line: { type: 'integer' }, message: { type: 'string' } } },
    description: 'Always empty: a file with a bad line is refused whole (400)',
  })
  errors: { line: number; message: string }[];
}

export function abuseContactView(row: AbuseContactRow): AbuseContactView {
  return {
    id: row.id,
    organisation: row.organisation,
    email: row.email,
    language: row.language,
    domain: row.domain,
    asn: row.asn,
    source: row.source,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

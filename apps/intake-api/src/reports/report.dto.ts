import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  MAX_CONTACT_EMAIL_LENGTH,
  MAX_REPORT_DESCRIPTION_LENGTH,
  MAX_REPORT_URLS,
  MAX_REPORTED_URL_LENGTH,
  PUBLIC_REPORT_STATUSES,
  PublicReportStatus,
  REPORTED_CONTENT_TYPES,
  ReportedContentType,
} from '@hotline/domain';
import { isBcp47 } from '@hotline/http';

@ValidatorConstraint({ name: 'isBcp47' })
class Bcp47Constraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isBcp47(value);
  }
}

export class ReportContactDto {
  @ApiPropertyOptional({ example: 'reporter@example.org', description: 'For feedback only; stored encrypted, deleted on schedule.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CONTACT_EMAIL_LENGTH)
  @IsEmail()
  email?: string;
}

/** The body of `POST /api/v1/reports` (contract: ARCHITECTURE.md, public intake API). */
export class SubmitReportDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_REPORT_URLS,
    example: ['http://example.com/a'],
    description: `Web addresses (http or https, public host or .onion), each at most ${MAX_REPORTED_URL_LENGTH} characters.`,
  })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REPORT_URLS)
  urls: unknown[];

  @ApiPropertyOptional({ enum: REPORTED_CONTENT_TYPES })
  @IsOptional()
  @IsIn(REPORTED_CONTENT_TYPES)
  contentType?: ReportedContentType;

  @ApiPropertyOptional({ maxLength: MAX_REPORT_DESCRIPTION_LENGTH, description: 'Context; stored encrypted, never logged.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REPORT_DESCRIPTION_LENGTH)
  description?: string;

  @ApiPropertyOptional({ type: ReportContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  contact?: ReportContactDto;

  @ApiPropertyOptional({ example: 'fr', description: 'BCP 47 tag; default from Accept-Language.' })
  @IsOptional()
  @IsString()
  @Validate(Bcp47Constraint)
  language?: string;

  @ApiPropertyOptional({ example: 'UG', description: 'ISO 3166-1 alpha-2 code of where the reporter is.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}$/)
  country?: string;

  @ApiPropertyOptional({ description: 'A child may be identifiable or in danger now.' })
  @IsOptional()
  @IsBoolean()
  victimIdentifiable?: boolean;
}

export class ReportReceiptDto {
  @ApiProperty({ example: '7KQ3-M2XD-9HPN-4TRA' })
  reference: string;

  @ApiProperty({ description: 'Shown once; needed to check the status. Only its hash is stored.' })
  statusToken: string;

  @ApiProperty({ enum: ['received'] })
  status: 'received';

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;
}

export class ReportStatusDto {
  @ApiProperty()
  reference: string;

  @ApiProperty({ enum: PUBLIC_REPORT_STATUSES })
  status: PublicReportStatus;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class FieldErrorDto {
  @ApiProperty({ example: 'urls[0]' })
  field: string;

  @ApiProperty()
  message: string;
}

export class ProblemDto {
  @ApiProperty({ example: '/problems/validation' })
  type: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  status: number;

  @ApiProperty()
  detail: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}

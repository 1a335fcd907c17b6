import {
  BULK_BATCH_ID_PATTERN,
  CONTENT_HASH_ALGORITHMS,
  ContentHashAlgorithm,
  MAX_BULK_BATCH_ID_LENGTH,
  MAX_BULK_URLS,
  MAX_CONTENT_HASHES,
  MAX_REPORTED_URL_LENGTH,
  REPORTED_CONTENT_TYPES,
  ReportedContentType,
} from '@hotline/domain';
import { isBcp47 } from '@hotline/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

@ValidatorConstraint({ name: 'isBcp47' })
class Bcp47Constraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isBcp47(value);
  }
}

/** A hash of the file the URL serves, computed by the sender (the hotline never fetches it). */
export class ContentHashDto {
  @ApiProperty({ enum: CONTENT_HASH_ALGORITHMS, example: 'sha256' })
  @IsDefined()
  algorithm: ContentHashAlgorithm;

  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', description: 'Hex digest (any case), 32, 40 or 64 digits by algorithm.' })
  @IsDefined()
  value: string;
}

export class BulkUrlDto {
  @ApiProperty({
    example: 'https://files.example.com/a/123.jpg',
    description: `http or https, public host or .onion, at most ${MAX_REPORTED_URL_LENGTH} characters: the same rules as public intake.`,
  })
  @IsDefined()
  url: unknown;

  @ApiPropertyOptional({ type: [ContentHashDto], maxItems: MAX_CONTENT_HASHES, description: 'A match with a known hash settles the case without anyone viewing it.' })
  @IsOptional()
  @ArrayMaxSize(MAX_CONTENT_HASHES)
  @IsArray()
  contentHashes?: unknown[];
}

/**
 * The body of `POST /api/v1/bulk-reports`. class-validator runs a property's decorators bottom-up
 * and reports the first that fails, so the type check of each property is written last.
 */
export class SubmitBulkBatchDto {
  @ApiProperty({
    example: 'crawl-2031-03-04-0001',
    maxLength: MAX_BULK_BATCH_ID_LENGTH,
    pattern: BULK_BATCH_ID_PATTERN.source,
    description: 'Your id of the batch: sending the same id again files nothing new and answers the first receipt.',
  })
  @IsDefined()
  @Matches(BULK_BATCH_ID_PATTERN)
  @IsString()
  batchId: string;

  @ApiProperty({ type: [BulkUrlDto], minItems: 1, maxItems: MAX_BULK_URLS })
  @IsDefined()
  @ArrayMaxSize(MAX_BULK_URLS)
  @ArrayMinSize(1)
  @IsArray()
  urls: unknown[];

  @ApiPropertyOptional({ enum: REPORTED_CONTENT_TYPES, description: 'What the URLs of the batch show (one value for the whole batch).' })
  @IsOptional()
  @IsIn(REPORTED_CONTENT_TYPES)
  contentType?: ReportedContentType;

  @ApiPropertyOptional({ example: 'en', description: 'BCP 47 tag of the batch and of its errors; default from Accept-Language.' })
  @IsOptional()
  @Validate(Bcp47Constraint)
  @IsString()
  language?: string;
}

export class BulkReceiptDto {
  @ApiProperty({ example: 'crawl-2031-03-04-0001' })
  batchId: string;

  @ApiProperty({ example: '7KQ3-M2XD-9HPN-4TRA', description: 'The reference of the report the batch was filed as.' })
  reference: string;

  @ApiProperty({ description: 'URLs filed (all of the batch: a batch is accepted whole or not at all).' })
  accepted: number;

  @ApiProperty({ description: 'URLs whose content hash matched a known hash: settled as confirmed at triage.' })
  knownHashMatches: number;

  @ApiProperty({ format: 'date-time', description: 'When the batch was first received.' })
  receivedAt: string;
}

import { MAX_PARTNER_BASE_URL_LENGTH, Partner, PARTNER_NAME, PARTNER_STATUSES, PartnerStatus } from '@hotline/exchange';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class AddPartnerBody {
  @ApiProperty({ pattern: PARTNER_NAME.source, example: 'hotline-de' })
  @IsString()
  @Matches(PARTNER_NAME, { message: 'name must be 1 to 63 lower-case letters, digits and hyphens' })
  name: string;

  @ApiProperty({ type: [String], description: 'ISO 3166-1 alpha-2 codes of the countries it handles', example: ['DE', 'AT'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code in capitals' })
  countries: string[];

  @ApiProperty({ example: 'https://hotline.example', description: 'http(s), no credentials, query or fragment' })
  @IsString()
  @MaxLength(MAX_PARTNER_BASE_URL_LENGTH)
  baseUrl: string;

  @ApiProperty({ description: "The partner's Ed25519 public key, base64 SPKI DER" })
  @IsString()
  @MaxLength(200)
  publicKey: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100000, default: 60, description: 'Messages per minute we send it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  rateLimitPerMinute?: number;
}

export class SetPartnerKeyBody {
  @ApiProperty({ description: "The partner's new Ed25519 public key, base64 SPKI DER" })
  @IsString()
  @MaxLength(200)
  publicKey: string;
}

/** A partner as staff see it: never a private key. */
export class PartnerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty() baseUrl: string;
  @ApiProperty({ enum: PARTNER_STATUSES }) status: PartnerStatus;
  @ApiProperty() rateLimitPerMinute: number;
  @ApiProperty({ description: "Key id of the partner's public key" }) theirKeyId: string;
  @ApiProperty({ description: "The partner's public key" }) theirPublicKey: string;
  @ApiProperty({ description: 'Key id of our key for this partner' }) ourKeyId: string;
  @ApiProperty({ description: 'Our public key for this partner: the partner registers it' }) ourPublicKey: string;
  @ApiProperty({ type: String, nullable: true, description: 'Key id of our next key for this partner (prepared by rotate-key, not yet activated), or null' })
  nextKeyId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Our next public key for this partner: the partner installs it before we activate it; or null' })
  nextPublicKey: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export function partnerView(partner: Partner): PartnerView {
  return { ...partner, createdAt: partner.createdAt.toISOString(), updatedAt: partner.updatedAt.toISOString() };
}

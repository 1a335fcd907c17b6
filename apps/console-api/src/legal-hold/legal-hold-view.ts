import { LEGAL_HOLD_REASON_LENGTH } from '@hotline/domain';
import type { LegalHoldRow } from '@hotline/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** A legal hold on a case: while it is in force the retention purge takes nothing of the case. */
export class LegalHoldView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  caseId: string;

  @ApiProperty({ description: 'Why, in the words of whoever placed it (an order, a request)' })
  reason: string;

  @ApiProperty({ format: 'uuid', description: 'The staff user who placed it' })
  placedBy: string;

  @ApiProperty({ format: 'date-time' })
  placedAt: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null while it is in force' })
  liftedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while it is in force' })
  liftedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  liftedReason: string | null;
}

/** The case's legal holds: the one in force, if any, and every hold it had, oldest first. */
export class LegalHoldsView {
  @ApiProperty({ type: LegalHoldView, nullable: true })
  active: LegalHoldView | null;

  @ApiProperty({ type: [LegalHoldView] })
  history: LegalHoldView[];
}

export class LegalHoldBody {
  @ApiProperty({
    minLength: LEGAL_HOLD_REASON_LENGTH.min,
    maxLength: LEGAL_HOLD_REASON_LENGTH.max,
    description: 'Why the case is held (placing) or released (lifting): an order, a request, its end',
  })
  @IsString()
  // The exact bounds (after trimming, in characters) are the domain's; this only keeps a huge body out.
  @MaxLength(LEGAL_HOLD_REASON_LENGTH.max * 4)
  reason: string;
}

export function toLegalHoldView(row: LegalHoldRow): LegalHoldView {
  return {
    id: row.id,
    caseId: row.case_id,
    reason: row.reason,
    placedBy: row.placed_by,
    placedAt: row.placed_at.toISOString(),
    liftedBy: row.lifted_by,
    liftedAt: row.lifted_at?.toISOString() ?? null,
    liftedReason: row.lifted_reason,
  };
}

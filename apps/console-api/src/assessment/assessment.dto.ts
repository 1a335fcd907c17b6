import { REVIEW_DECISIONS, ReviewDecision, Verdict, VERDICTS } from '@hotline/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ClassificationView } from '../cases/case-view';

const NOTES_MAX = 2000;

/** The lease holder's verdict. The classification is checked against the verdict by the domain rules. */
export class AssessmentBody {
  @ApiProperty({ enum: VERDICTS })
  @IsIn(VERDICTS)
  verdict: Verdict;

  @ApiPropertyOptional({ type: ClassificationView, description: 'Required for baseline and national, refused for the other verdicts' })
  @IsOptional()
  classification?: unknown;

  @ApiPropertyOptional({ maxLength: NOTES_MAX, description: 'For colleagues; never written to the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTES_MAX)
  notes?: string;
}

/**
 * A senior analyst's decision on a verdict waiting for review (or an appeal). With blind review
 * (HOTLINE REVIEW_BLIND, the default) the reviewer cannot see that verdict, so they give their own
 * and the server decides: a confirmation when the two agree, an overturn when they do not.
 */
export class ReviewBody {
  @ApiProperty({
    enum: REVIEW_DECISIONS,
    description:
      'Without blind review: confirm keeps the verdict under review, overturn replaces it with `verdict`. ' +
      'With blind review it is accepted but not trusted: the server records confirm when `verdict` equals the verdict under review, overturn otherwise',
  })
  @IsIn(REVIEW_DECISIONS)
  decision: ReviewDecision;

  @ApiPropertyOptional({
    enum: VERDICTS,
    description: 'The reviewer’s own verdict. With blind review: required with either decision. Without: required to overturn, refused to confirm',
  })
  @IsOptional()
  @IsIn(VERDICTS)
  verdict?: Verdict;

  @ApiPropertyOptional({
    type: ClassificationView,
    description:
      'The reviewer’s classification, required when `verdict` is baseline or national. With blind review it is recorded as the reviewer’s own ' +
      '(the case keeps the assessor’s classification when the verdicts agree); without, only with an overturn',
  })
  @IsOptional()
  classification?: unknown;

  @ApiPropertyOptional({ maxLength: NOTES_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(NOTES_MAX)
  notes?: string;
}

/** Why the analyst needs the live URL; goes to the audit log with the reveal. */
export class RevealBody {
  @ApiProperty({ minLength: 10, maxLength: 500 })
  @IsString()
  @Length(10, 500)
  reason: string;
}

export class RevealedUrlView {
  @ApiProperty({ description: 'The canonical URL, not defanged' })
  url: string;
}

export class AppealBody {
  @ApiProperty({ minLength: 10, maxLength: 500, description: 'Why the verdict should be looked at again' })
  @IsString()
  @Length(10, 500)
  reason: string;
}

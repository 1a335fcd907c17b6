import { HotlineConfig } from '@hotline/config';
import { AssessmentRepository } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { type ReviewList, toReviewList } from './review-list';
import { type ReviewQuality, reviewQuality } from './review-quality';

/** How many cases of each list the page shows; the rest are counted. */
export const REVIEW_LIST_LIMIT = 100;
const RECENT_DAYS = 30;

export interface ReviewOverview {
  blind: boolean;
  reviews: ReviewList;
  appeals: ReviewList;
  quality: { recentDays: number; recent: ReviewQuality; allTime: ReviewQuality };
}

/**
 * The senior analysts' overview: cases waiting for a second review, cases under appeal, and the
 * disagreement and appeal-reversal rates. Deciding a case happens on its page (AssessmentService).
 */
@Injectable()
export class ReviewOverviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly assessments: AssessmentRepository,
    private readonly config: HotlineConfig,
  ) {}

  async overview(staff: StaffPrincipal, now: Date): Promise<ReviewOverview> {
    const blind = this.config.reviewBlind;
    const list = (appeals: boolean) => this.assessments.pendingReviews(this.dataSource, { viewerId: staff.id, appeals, withVerdict: !blind, limit: REVIEW_LIST_LIMIT });
    const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
    const [reviews, appeals, recent, allTime] = await Promise.all([
      list(false),
      list(true),
      this.assessments.reviewQuality(this.dataSource, { since, until: null }),
      this.assessments.reviewQuality(this.dataSource, { since: null, until: null }),
    ]);
    return {
      blind,
      reviews: toReviewList(reviews, { blind, now }),
      appeals: toReviewList(appeals, { blind, now }),
      quality: { recentDays: RECENT_DAYS, recent: reviewQuality(recent), allTime: reviewQuality(allTime) },
    };
  }
}

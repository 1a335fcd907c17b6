/**
 * Who may decide a review. Four eyes means four different eyes: nobody who already took part in
 * the verdict under review may decide it - not the assessor, and for an appeal neither the earlier
 * reviewer nor whoever opened the appeal. Roles (senior analyst) are checked by permission; this
 * is only about people.
 */

/** Staff ids that took part in the verdict now under review. */
export interface ReviewParticipants {
  /**
   * The analyst of the assessment under review; null when the verdict was settled without one
   * (a known-URL match), so nobody assessed it.
   */
  assessorId: string | null;
  /** The reviewers and appellants since the assessment (empty on a first review). */
  others?: readonly string[];
}

export function participantIds(participants: ReviewParticipants): string[] {
  return [...(participants.assessorId === null ? [] : [participants.assessorId]), ...(participants.others ?? [])];
}

export function canReview(reviewerId: string, participants: ReviewParticipants): boolean {
  return !participantIds(participants).includes(reviewerId);
}

/**
 * Whether `viewerId` must see a case waiting for review without the verdict under review, so
 * the reviewer judges the URL on its own rather than agreeing with a colleague. Those who took
 * part already know it.
 */
export function isBlindTo(viewerId: string, options: { reviewBlind: boolean; pendingReview: boolean; participants: ReviewParticipants | null }): boolean {
  if (!options.reviewBlind || !options.pendingReview) return false;
  return options.participants === null || canReview(viewerId, options.participants);
}

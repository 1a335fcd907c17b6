import { defangUrl, type Verdict } from '@hotline/domain';
import type { PendingReviewRow } from '@hotline/persistence';

/** One case of the review list, as a senior analyst may see it before opening it. */
export interface ReviewListItem {
  id: string;
  /** Defanged: the list never carries a URL that could be opened by a click. */
  url: string;
  priority: number;
  /** The verdict under review; never present while review is blind. */
  verdict?: Verdict;
  assessedAt: Date | null;
  waitingSince: Date;
  waitingSeconds: number;
  /** The viewer took part in the verdict under review: four eyes bars them from deciding it. */
  tookPart: boolean;
}

export interface ReviewList {
  total: number;
  items: ReviewListItem[];
}

/**
 * The rows as the list shows them. Under blind review the verdict is left out even if a row
 * carried one (the repository does not select it then either): a reviewer forms their own.
 */
export function toReviewList(rows: readonly PendingReviewRow[], options: { blind: boolean; now: Date }): ReviewList {
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((row) => ({
      id: row.id,
      url: defangUrl(row.canonical_url),
      priority: row.priority,
      ...(!options.blind && row.verdict ? { verdict: row.verdict } : {}),
      assessedAt: row.assessed_at,
      waitingSince: row.waiting_since,
      waitingSeconds: Math.max(0, Math.floor((options.now.getTime() - row.waiting_since.getTime()) / 1000)),
      tookPart: row.took_part,
    })),
  };
}

/** The case `o` opens: the first of the list the viewer may decide. */
export function firstReviewable(list: ReviewList): ReviewListItem | undefined {
  return list.items.find((item) => !item.tookPart);
}

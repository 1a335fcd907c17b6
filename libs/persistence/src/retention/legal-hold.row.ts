/** A legal hold on a case (legal_hold): in force while lifted_at is null; at most one such per case. */
export interface LegalHoldRow {
  id: string;
  case_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
  lifted_by: string | null;
  lifted_reason: string | null;
  lifted_at: Date | null;
}

import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { ExchangeMessageRow } from './exchange-message.row';

/** exchange_message: what went to and came from partner hotlines. */
@Injectable()
export class ExchangeMessageRepository {
  listForCase(db: SqlRunner, caseId: string): Promise<ExchangeMessageRow[]> {
    return db.query(`SELECT * FROM exchange_message WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
  }

  /** Whether we ever sent this partner `case.status <status>` about the case. */
  async sentStatus(db: SqlRunner, caseId: string, partnerId: string, status: string): Promise<boolean> {
    const rows = await db.query(
      `SELECT 1 FROM exchange_message WHERE case_id = $1 AND partner_id = $2 AND direction = 'out' AND type = 'case.status' AND payload->>'status' = $3 LIMIT 1`,
      [caseId, partnerId, status],
    );
    return rows.length > 0;
  }
}

export const exchangeMessageRepository = new ExchangeMessageRepository();

import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { ExchangeNonceRow } from './exchange-nonce.row';

/** exchange_nonce: the nonces of partners' requests, seen once each (replay protection). */
@Injectable()
export class ExchangeNonceRepository {
  /** Notes a nonce of a partner's request; false when the partner used it before (a replay). */
  async remember(db: SqlRunner, partnerId: string, nonce: string): Promise<boolean> {
    const fresh: Pick<ExchangeNonceRow, 'nonce'>[] = await db.query(
      `INSERT INTO exchange_nonce (partner_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING nonce`,
      [partnerId, nonce],
    );
    return fresh.length > 0;
  }

  /** Deletes the nonces seen more than `keep` ago by the database clock (`keep` is a PostgreSQL interval, e.g. '15 minutes'). */
  async purgeOlderThan(db: SqlRunner, keep: string): Promise<void> {
    await db.query(`DELETE FROM exchange_nonce WHERE seen_at < now() - $1::interval`, [keep]);
  }
}

export const exchangeNonceRepository = new ExchangeNonceRepository();

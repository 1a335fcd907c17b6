/** One row of exchange_nonce: a request nonce a partner used, kept to refuse its replay. */
export interface ExchangeNonceRow {
  partner_id: string;
  nonce: string;
  seen_at: Date;
}

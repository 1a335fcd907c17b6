/** One row of exchange_message: a message to or from a partner hotline (docs/exchange-protocol.md). */
export interface ExchangeMessageRow {
  id: string;
  partner_id: string;
  direction: 'in' | 'out';
  message_id: string;
  type: 'case.forward' | 'case.ack' | 'case.status';
  case_id: string | null;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed' | 'received';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  /** Outgoing: the id of the request or job that made it, sent as X-Correlation-Id (docs/adr/0017). */
  correlation_id: string | null;
}

import { HotlineConfig } from '@hotline/config';
import { DELIVER_EXCHANGE_MESSAGE, JOB_IDS, JOB_OPTIONS, partnerDeliveryQueue, QueueRegistry } from '@hotline/queue';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PartnerDeliveryWorkers } from './partner-delivery-workers.service';

/**
 * The DispatchExchangeMessages job: each stored outgoing message goes to its partner's delivery
 * queue as one job (id from the message row, so dispatching twice is one job), with the
 * configured attempts (EXCHANGE_ATTEMPTS) and exponential backoff (EXCHANGE_BACKOFF).
 */
@Injectable()
export class ExchangeDispatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly workers: PartnerDeliveryWorkers,
    private readonly config: HotlineConfig,
  ) {}

  async dispatch(messageIds: string[]): Promise<void> {
    const rows: { id: string; partner_id: string }[] = await this.dataSource.query(
      `SELECT id, partner_id FROM exchange_message WHERE id = ANY($1::uuid[]) AND direction = 'out' AND status = 'pending' ORDER BY id`,
      [messageIds],
    );
    if (rows.length === 0) return;
    const options = {
      ...JOB_OPTIONS.standard,
      attempts: this.config.exchange.attempts,
      backoff: { type: 'exponential', delay: this.config.exchange.backoffMs, jitter: 0.2 },
    };
    const byPartner = new Map<string, string[]>();
    for (const row of rows) byPartner.set(row.partner_id, [...(byPartner.get(row.partner_id) ?? []), row.id]);
    for (const [partnerId, ids] of byPartner) {
      await this.queues.get(partnerDeliveryQueue(partnerId)).addBulk(
        ids.map((messageRowId) => ({ name: DELIVER_EXCHANGE_MESSAGE, data: { messageRowId }, opts: { ...options, jobId: JOB_IDS.deliverExchangeMessage(messageRowId) } })),
      );
    }
    // A partner registered a moment ago gets its worker now rather than at the next refresh.
    await this.workers.refresh();
  }
}

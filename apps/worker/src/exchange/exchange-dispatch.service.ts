import { HotlineConfig } from '@hotline/config';
import { ExchangeMessageRepository } from '@hotline/persistence';
import { DELIVER_EXCHANGE_MESSAGE, exchangeDeliveryOptions, JOB_IDS, partnerDeliveryQueue, QueueRegistry } from '@hotline/queue';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExchangeDeliveryService } from './exchange-delivery.service';
import { PartnerDeliveryWorkers } from './partner-delivery-workers.service';

/**
 * The DispatchExchangeMessages job: each stored outgoing message goes to its partner's delivery
 * queue as one job (id from the message row, so dispatching twice is one job), with the
 * configured attempts (EXCHANGE_ATTEMPTS) and exponential backoff (EXCHANGE_BACKOFF). A message
 * for a partner that is not active is not queued (no worker would ever take it): it fails at
 * once, on its case and in the metrics, and a forward's case is routed again.
 */
@Injectable()
export class ExchangeDispatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly workers: PartnerDeliveryWorkers,
    private readonly delivery: ExchangeDeliveryService,
    private readonly config: HotlineConfig,
    private readonly messages: ExchangeMessageRepository,
  ) {}

  async dispatch(messageIds: string[]): Promise<void> {
    const rows = await this.messages.listPendingWithPartner(this.dataSource, messageIds);
    if (rows.length === 0) return;
    const options = exchangeDeliveryOptions(this.config.exchange);
    const byPartner = new Map<string, { name: string; active: boolean; ids: string[] }>();
    for (const row of rows) {
      const partner = byPartner.get(row.partner_id) ?? { name: row.partner_name, active: row.partner_status === 'active', ids: [] };
      partner.ids.push(row.id);
      byPartner.set(row.partner_id, partner);
    }
    for (const [partnerId, { name, active, ids }] of byPartner) {
      if (!active) {
        await this.delivery.failForDisabledPartner({ id: partnerId, name }, ids);
        continue;
      }
      await this.queues.get(partnerDeliveryQueue(partnerId)).addBulk(
        ids.map((messageRowId) => ({
          name: DELIVER_EXCHANGE_MESSAGE,
          data: { messageRowId },
          opts: { ...options, jobId: JOB_IDS.deliverExchangeMessage(messageRowId) },
        })),
      );
    }
    // A partner registered a moment ago gets its worker now rather than at the next refresh.
    await this.workers.refresh();
  }
}

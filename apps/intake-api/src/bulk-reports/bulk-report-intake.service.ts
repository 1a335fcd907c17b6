import { HotlineConfig } from '@hotline/config';
import { dedupKey, DEFAULT_TRACKING_PARAMS, quotaDay, secondsUntilQuotaResets } from '@hotline/domain';
import { Language, ProblemException } from '@hotline/http';
import { MetricsRegistry } from '@hotline/observability';
import { ApiKeyRepository, ApiKeyRow, BulkBatchReceiptRow, BulkRepository, KnownHashRepository, NewBulkReport, SqlRunner } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { bearerApiKey, hashStatusToken, newReportReference, newStatusToken, uuidv7 } from '@hotline/security';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BulkReceiptDto } from './bulk-report.dto';
import { ValidBulkBatch } from './bulk-validation';
import { hashListings } from './known-hash-matches';

// Clients are told to come back after this when storage is down (as public intake says).
const RETRY_AFTER_SECONDS = 5;

/** The quota would be exceeded: thrown inside the transaction so nothing of the batch stays. */
class QuotaExceeded extends Error {}

export interface BulkOutcome {
  receipt: BulkReceiptDto;
  /** true: the batch id was filed before; this answer repeats that receipt and wrote nothing. */
  replayed: boolean;
}

/**
 * Files a trusted source's batch as one report (source `bulk`), once per sender and batch id,
 * within the sender's daily quota; URLs whose file hash is known join the known-URL list in the
 * same transaction.
 */
@Injectable()
export class BulkReportIntakeService {
  private readonly log = new Logger(BulkReportIntakeService.name);
  private readonly trackingParams: readonly string[];
  private readonly urls;
  private readonly knownHashMatches;

  constructor(
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeyRepository,
    private readonly bulk: BulkRepository,
    private readonly knownHashes: KnownHashRepository,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.trackingParams = [...DEFAULT_TRACKING_PARAMS, ...config.extraTrackingParams];
    this.urls = metrics.counter('hotline_bulk_urls_total', 'URLs of trusted-source batches, by outcome', ['outcome']);
    this.knownHashMatches = metrics.counter('hotline_bulk_known_hash_matches_total', 'URLs of trusted-source batches whose content hash was known');
    for (const outcome of ['accepted', 'replayed', 'refused']) this.urls.inc({ outcome }, 0);
    this.knownHashMatches.inc(0);
  }

  /**
   * The key an `Authorization: Bearer hlk_...` header presents, if it is live and may submit
   * batches: 401 without a (valid) key, 403 for a key without the `bulk_reports` scope.
   */
  async authenticate(authorization: string | undefined, language: Language): Promise<ApiKeyRow> {
    const presented = bearerApiKey(authorization);
    const key = presented ? await this.storage(() => this.apiKeys.authenticate(this.dataSource, presented), language) : null;
    if (!key) throw new ProblemException('unauthorized', { language });
    if (!key.scopes.includes('bulk_reports')) throw new ProblemException('forbidden', { language });
    return key;
  }

  /** Counts the URLs of a batch refused before it was filed (authentication, validation, quota). */
  refused(urls: number): void {
    if (urls > 0) this.urls.inc({ outcome: 'refused' }, urls);
  }

  async submit(key: ApiKeyRow, batch: ValidBulkBatch, language: Language): Promise<BulkOutcome> {
    const receivedAt = new Date();
    const report: NewBulkReport = {
      id: uuidv7(),
      reference: newReportReference(),
      // A bulk source has no use for a status look-up (its receipt has the reference): the token is thrown away.
      statusTokenHash: hashStatusToken(newStatusToken()),
      receivedAt,
      language: batch.language ?? language,
      contentType: batch.contentType,
      urls: batch.urls.map((url) => ({
        id: uuidv7(),
        raw: url.raw,
        canonical: url.canonical.href,
        dedupKey: dedupKey(url.canonical, this.trackingParams),
        host: url.canonical.host,
        contentHashes: url.contentHashes.length > 0 ? url.contentHashes.map((h) => `${h.algorithm}:${h.value}`) : null,
      })),
    };
    let outcome: BulkOutcome;
    try {
      outcome = await this.dataSource.transaction((tx) => this.file(tx, key, batch, report));
    } catch (error) {
      if (error instanceof QuotaExceeded) {
        this.refused(report.urls.length);
        throw new ProblemException('quota_exceeded', { retryAfterSeconds: secondsUntilQuotaResets(receivedAt), language });
      }
      // A copy that slipped past the lock (it cannot, but the primary key is what guarantees it): the first one's receipt.
      if (isBatchConflict(error)) {
        const first = await this.storage(() => this.bulk.findBatch(this.dataSource, key.id, batch.batchId), language);
        if (first) outcome = { receipt: receiptOf(first), replayed: true };
        else throw this.unavailable(error, language);
      } else {
        throw this.unavailable(error, language);
      }
    }
    if (outcome.replayed) {
      this.urls.inc({ outcome: 'replayed' }, outcome.receipt.accepted);
    } else {
      this.urls.inc({ outcome: 'accepted' }, outcome.receipt.accepted);
      this.knownHashMatches.inc(outcome.receipt.knownHashMatches);
    }
    return outcome;
  }

  private async file(tx: SqlRunner, key: ApiKeyRow, batch: ValidBulkBatch, report: NewBulkReport): Promise<BulkOutcome> {
    // A second copy of the batch (a retry whose answer was lost, or sent twice at once) waits
    // here for the first, then answers its receipt: one report, and the quota counted once.
    await this.bulk.lockBatch(tx, key.id, batch.batchId);
    const first = await this.bulk.findBatch(tx, key.id, batch.batchId);
    if (first) return { receipt: receiptOf(first), replayed: true };

    const quota = key.daily_quota ?? this.config.bulkDailyQuota;
    if ((await this.bulk.consumeQuota(tx, key.id, quotaDay(report.receivedAt), report.urls.length, quota)) === null) throw new QuotaExceeded();

    await this.bulk.insertReport(tx, report, OutboxTopic.ReportedUrlReceived);

    // Why a hash match may settle a case with nobody looking: the hash was confirmed before (an
    // analyst's or a partner hotline's verdict on that very file, imported as a hash list), and
    // the sender states the URL serves that exact file. The known-URL entry is written in this
    // transaction, so it is committed before the outbox rows above can be relayed: triage, which
    // opens the URL's case, always finds it. Only new cases are settled so (an open case of the
    // URL already has its analyst), and only by confirming verdicts (known_hash allows no other).
    const hashed = batch.urls.map((url, i) => ({ dedupKey: report.urls[i].dedupKey, canonical: report.urls[i].canonical, contentHashes: url.contentHashes }));
    const distinct = new Map(batch.urls.flatMap((url) => url.contentHashes).map((h) => [`${h.algorithm}:${h.value}`, h]));
    const known = await this.knownHashes.matching(tx, [...distinct.values()]);
    const { matchedUrls, listings } = hashListings(hashed, known);
    await this.bulk.listKnownUrls(
      tx,
      listings.map((listing) => ({ id: uuidv7(), dedupKey: listing.dedupKey, canonical: listing.canonical, verdict: listing.verdict, listName: listing.listName })),
    );

    const row = {
      api_key_id: key.id,
      batch_id: batch.batchId,
      report_id: report.id,
      url_count: report.urls.length,
      known_hash_matches: matchedUrls,
      received_at: report.receivedAt,
    };
    await this.bulk.insertBatch(tx, row);
    return { receipt: receiptOf({ ...row, reference: report.reference }), replayed: false };
  }

  private unavailable(error: unknown, language: Language): ProblemException {
    // The error only: never the batch (its URLs), never who sent it from where.
    this.log.error({ err: error }, 'could not store a bulk batch');
    return new ProblemException('unavailable', { retryAfterSeconds: RETRY_AFTER_SECONDS, language });
  }

  /** Storage down is the server's problem, said as 503, never a 500. */
  private async storage<T>(read: () => Promise<T>, language: Language): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw this.unavailable(error, language);
    }
  }
}

function receiptOf(batch: BulkBatchReceiptRow): BulkReceiptDto {
  return {
    batchId: batch.batch_id,
    reference: batch.reference,
    accepted: batch.url_count,
    knownHashMatches: batch.known_hash_matches,
    receivedAt: batch.received_at.toISOString(),
  };
}

function isBatchConflict(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } } | null)?.driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' && driverError.constraint === 'bulk_batch_pkey';
}

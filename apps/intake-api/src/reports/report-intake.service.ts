import { HotlineConfig } from '@hotline/config';
import { dedupKey, DEFAULT_TRACKING_PARAMS, publicReportStatus } from '@hotline/domain';
import { Language, ProblemException } from '@hotline/http';
import { ReportRepository, ReportSource } from '@hotline/persistence';
import { FieldEncryption, hashStatusToken, newReportReference, newStatusToken, normaliseReportReference, statusTokenMatches, uuidv7 } from '@hotline/security';
import { currentCorrelationId } from '@hotline/observability';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportReceiptDto, ReportStatusDto } from './report.dto';
import { ValidReport } from './report-validation';
import { NewReport, ReportStorageError, ReportWriter } from './report-writer';

const DAY_MS = 86_400_000;
// Clients are told to come back after this when storage is down.
const RETRY_AFTER_SECONDS = 5;

/** Turns a validated submission into stored rows, and answers status look-ups. */
@Injectable()
export class ReportIntakeService {
  private readonly encryption: FieldEncryption;
  private readonly trackingParams: readonly string[];

  constructor(
    private readonly writer: ReportWriter,
    private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    private readonly config: HotlineConfig,
  ) {
    this.encryption = new FieldEncryption(config.fieldEncryptionKeys);
    this.trackingParams = [...DEFAULT_TRACKING_PARAMS, ...config.extraTrackingParams];
  }

  async submit(report: ValidReport, source: ReportSource, language: Language): Promise<ReportReceiptDto> {
    const { dto } = report;
    const id = uuidv7();
    const statusToken = newStatusToken();
    const receivedAt = new Date();
    const email = dto.contact?.email;
    const row: NewReport = {
      id,
      reference: newReportReference(),
      statusTokenHash: hashStatusToken(statusToken),
      source,
      receivedAt,
      language: dto.language ?? language,
      reporterCountry: dto.country ?? null,
      contentType: dto.contentType ?? null,
      victimIdentifiable: dto.victimIdentifiable ?? false,
      contactEncrypted: email ? this.encryption.encrypt(JSON.stringify({ email }), `${id}:contact`) : null,
      descriptionEncrypted: dto.description ? this.encryption.encrypt(dto.description, `${id}:description`) : null,
      contactDeleteAfter: email ? new Date(receivedAt.getTime() + this.config.contactRetentionDays * DAY_MS) : null,
      urls: report.urls.map(({ raw, canonical }) => ({
        id: uuidv7(),
        raw,
        canonical: canonical.href,
        dedupKey: dedupKey(canonical, this.trackingParams),
        host: canonical.host,
      })),
      correlationId: currentCorrelationId(),
    };
    try {
      await this.writer.write(row);
    } catch (error) {
      if (error instanceof ReportStorageError) {
        throw new ProblemException('unavailable', { retryAfterSeconds: RETRY_AFTER_SECONDS, language });
      }
      throw error;
    }
    return { reference: row.reference, statusToken, status: 'received', receivedAt: receivedAt.toISOString() };
  }

  /** Unknown reference and wrong token are indistinguishable to the caller. */
  async status(reference: string, token: string | undefined): Promise<ReportStatusDto> {
    const normalised = normaliseReportReference(reference);
    const found = normalised ? await this.storage(() => this.reports.findStatus(this.dataSource, normalised)) : undefined;
    const tokenOk = typeof token === 'string' && token.length <= 128 && found !== undefined && statusTokenMatches(token, found.status_token_hash);
    if (!found || !tokenOk) throw new ProblemException('not_found');
    const cases = await this.storage(() => this.reports.casesOf(this.dataSource, found));
    const status = publicReportStatus(
      cases.map((c) => ({ status: c.status, claimedSinceReport: c.claimed_since_report, hasActions: c.has_actions, settledWithoutHuman: c.settled_by !== null })),
    );
    // The last time any of its cases moved, or when it was received.
    const updatedAt = Math.max(found.received_at.getTime(), ...cases.map((c) => c.changed_at?.getTime() ?? 0));
    return { reference: found.reference, status, updatedAt: new Date(updatedAt).toISOString() };
  }

  /** Storage down is the server's problem, said as 503, never a 500 to a reporter. */
  private async storage<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch {
      throw new ProblemException('unavailable', { retryAfterSeconds: RETRY_AFTER_SECONDS });
    }
  }
}

import { AuditLog } from '@hotline/audit';
import { ProblemException } from '@hotline/http';
import { type ApiKeyRow, UrlListRepository } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deltaCsv, deltaJson, fullCsv, fullJson, type UrlListDeltaBody, type UrlListFullBody, type UrlListKind } from './url-list-format';

export type UrlListFormat = 'json' | 'csv';

export interface UrlListDownload {
  version: number;
  body: UrlListFullBody | UrlListDeltaBody | string;
}

/**
 * Downloads of the confirmed-URL list by subscribers' API keys. Each one first numbers the
 * changes committed since the last download (assignVersions, its own short transaction), then
 * reads the version and the entries in one REPEATABLE READ snapshot, so a list and its version
 * agree. The whole answer is built before anything is sent: a slow subscriber holds no
 * database connection. Every download is audited before it is given out.
 */
@Injectable()
export class UrlListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly urlList: UrlListRepository,
    private readonly audit: AuditLog,
  ) {}

  async download(key: ApiKeyRow, request: { kind: UrlListKind; format: UrlListFormat; since: number | null }): Promise<UrlListDownload> {
    await this.dataSource.transaction((tx) => this.urlList.assignVersions(tx));
    const hashesOnly = request.kind === 'hashes';
    const read = await this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const version = await this.urlList.currentVersion(tx);
      if (request.since === null) return { version, full: await this.urlList.full(tx, { hashesOnly }) };
      if (request.since > version) {
        // A version not handed out yet: the subscriber holds a list from elsewhere (or another system).
        throw new ProblemException('invalid_request', { errors: [{ field: 'since', message: 'field.invalid' }] });
      }
      return { version, delta: await this.urlList.since(tx, request.since, { hashesOnly }) };
    });
    const now = new Date();
    let body: UrlListDownload['body'];
    let count: number;
    if (read.full) {
      count = read.full.length;
      body = request.format === 'csv' ? fullCsv(request.kind, read.full) : fullJson(request.kind, read.version, now, read.full);
    } else {
      count = read.delta!.added.length + read.delta!.removed.length;
      body = request.format === 'csv' ? deltaCsv(request.kind, read.delta!) : deltaJson(request.kind, read.version, request.since!, now, read.delta!);
    }
    await this.audit.append({
      actor: { id: key.id, role: 'api_key' },
      action: 'url_list.download',
      target: { type: 'api_key', id: key.id },
      detail: {
        list: request.kind,
        format: request.format,
        ...(request.since === null ? {} : { since: request.since }),
        version: read.version,
        count,
        ...(read.delta ? { added: read.delta.added.length, removed: read.delta.removed.length } : {}),
      },
    });
    return { version: read.version, body };
  }
}

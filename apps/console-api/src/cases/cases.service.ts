import { HotlineConfig } from '@hotline/config';
import { CasePageQuery, CaseRepository } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadCaseDetail } from './case-detail';
import { CaseDetailView, CaseView, toCaseView } from './case-view';
import { encodeCursor } from './case-cursor';

/** Staff reads of cases: pages in review order, and one case as its viewer may see it. */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly config: HotlineConfig,
  ) {}

  async page(query: CasePageQuery): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    // One more than the page, to know whether another follows.
    const rows = await this.cases.page(this.dataSource, { ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCaseView),
      // The cursor keeps the timestamp as PostgreSQL wrote it: microseconds, which a JS Date would cut.
      nextCursor: rows.length > query.limit && last ? encodeCursor({ priority: last.priority, at: last.order_at, id: last.id }) : null,
    };
  }

  detail(id: string, viewerId: string): Promise<CaseDetailView> {
    return loadCaseDetail(this.dataSource, id, viewerId, this.config.reviewBlind);
  }
}

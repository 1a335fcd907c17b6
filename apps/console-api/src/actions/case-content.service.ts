import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { recordContentRemoved } from '@hotline/exchange';
import { ProblemException } from '@hotline/http';
import { CaseRepository } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadCaseDetail } from '../cases/case-detail';
import { CaseDetailView } from '../cases/case-view';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { markNotHostedHere, NotHostedHereView } from './not-hosted-here';

/**
 * Staff actions on a case's content. Removal marks a confirmed (or actioned) case's content
 * removed: the removal clock of the statistics stops at `removedAt`, and a case a partner hotline
 * forwarded to us tells that partner `removed`. Not hosted here: see not-hosted-here.ts.
 */
@Injectable()
export class CaseContentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  markRemoved(id: string, removedAt: Date, staff: StaffPrincipal): Promise<CaseDetailView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.cases.lock(tx, id);
      if (!current) throw new ProblemException('resource_not_found');
      // Content gone before any action was sent still passes through actioned (removalSteps).
      const removed = await recordContentRemoved(tx, { caseId: id, from: current.status, removedAt, detail: { step: 'removal' } });
      if (!removed) throw new ProblemException('removal_not_allowed', { params: { status: current.status } });
      await this.audit.append(
        {
          actor: { id: staff.id, role: staff.role },
          action: 'case.removed',
          target: { type: 'case', id },
          detail: { removedAt: removedAt.toISOString(), partnersTold: removed.partnersTold },
        },
        tx,
      );
      return loadCaseDetail(tx, id, staff.id, this.config.reviewBlind);
    });
  }

  markNotHostedHere(id: string, staff: StaffPrincipal): Promise<NotHostedHereView> {
    return this.dataSource.transaction((tx) => markNotHostedHere(tx, this.audit, id, staff, this.config.reviewBlind));
  }
}

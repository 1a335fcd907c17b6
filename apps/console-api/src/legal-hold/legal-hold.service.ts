import { AuditLog } from '@hotline/audit';
import { LEGAL_HOLD_REASON_LENGTH, legalHoldReason } from '@hotline/domain';
import { ProblemException } from '@hotline/http';
import { CaseRepository, LegalHoldRepository, SqlRunner } from '@hotline/persistence';
import { uuidv7 } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorOf, StaffPrincipal } from '../staff-access/staff-principal';
import { LegalHoldsView, LegalHoldView, toLegalHoldView } from './legal-hold-view';

/**
 * Legal holds: placing one suspends the retention purge for the case (its raw URLs, its reports'
 * contacts and descriptions), lifting it lets the next purge take what is due. Not a status
 * change, so no case event: each is recorded in the audit log, in its transaction, with the
 * reason. A liaison may hold only cases referred to their agency; any other case is as unknown to
 * them as one that does not exist.
 */
@Injectable()
export class LegalHoldService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly holds: LegalHoldRepository,
    private readonly audit: AuditLog,
  ) {}

  async list(staff: StaffPrincipal, caseId: string): Promise<LegalHoldsView> {
    await this.reachable(this.dataSource, staff, caseId);
    const history = (await this.holds.historyOf(this.dataSource, caseId)).map(toLegalHoldView);
    return { active: history.find((hold) => hold.liftedAt === null) ?? null, history };
  }

  async place(staff: StaffPrincipal, caseId: string, reasonText: string): Promise<LegalHoldView> {
    const reason = validReason(reasonText);
    return this.dataSource.transaction(async (tx) => {
      // The case's lock orders holds on it against each other (legal_hold_active_uq behind it).
      await this.reachable(tx, staff, caseId, { lock: true });
      if (await this.holds.active(tx, caseId)) throw new ProblemException('legal_hold_in_force');
      const hold = await this.holds.place(tx, { id: uuidv7(), caseId, reason, placedBy: staff.id });
      await this.audit.append({ actor: actorOf(staff), action: 'case.legal_hold_placed', target: { type: 'case', id: caseId }, detail: { holdId: hold.id, reason } }, tx);
      return toLegalHoldView(hold);
    });
  }

  async lift(staff: StaffPrincipal, caseId: string, reasonText: string): Promise<LegalHoldView> {
    const reason = validReason(reasonText);
    return this.dataSource.transaction(async (tx) => {
      await this.reachable(tx, staff, caseId, { lock: true });
      const lifted = await this.holds.lift(tx, caseId, staff.id, reason);
      if (!lifted) throw new ProblemException('no_legal_hold');
      await this.audit.append(
        {
          actor: actorOf(staff),
          action: 'case.legal_hold_lifted',
          target: { type: 'case', id: caseId },
          detail: { holdId: lifted.id, reason, placedAt: lifted.placed_at.toISOString() },
        },
        tx,
      );
      return toLegalHoldView(lifted);
    });
  }

  /** 404 unless the case exists and the caller may hold it (a liaison: referred to their agency). */
  private async reachable(db: SqlRunner, staff: StaffPrincipal, caseId: string, options: { lock?: boolean } = {}): Promise<void> {
    const found = options.lock ? await this.cases.lock(db, caseId) : await this.cases.find(db, caseId);
    if (!found) throw new ProblemException('resource_not_found');
    if (staff.role === 'le_liaison' && !(staff.agency && (await this.holds.referredTo(db, caseId, staff.agency)))) throw new ProblemException('resource_not_found');
  }
}

function validReason(text: string): string {
  const reason = legalHoldReason(text);
  if (reason === null) {
    throw new ProblemException('invalid_request', {
      errors: [
        {
          field: 'reason',
          message: 'field.rule',
          params: { detail: `${LEGAL_HOLD_REASON_LENGTH.min} to ${LEGAL_HOLD_REASON_LENGTH.max} characters, no control characters` },
        },
      ],
    });
  }
  return reason;
}

import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { ActionRow } from './case.row';

export interface NewAction {
  id: string;
  caseId: string;
  kind: ActionRow['kind'];
  channel: string;
  partnerId: string | null;
  reason: string;
  externalRef: string | null;
}

/** action: what a confirmed case needs (police referral, notice, partner forward), with its state. */
@Injectable()
export class ActionRepository {
  async insert(db: SqlRunner, action: NewAction): Promise<void> {
    await db.query(
      // clock_timestamp(): the actions of one decision keep their order (now() is one instant per transaction).
      `INSERT INTO action (id, case_id, kind, channel, partner_id, status, reason, external_ref, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, clock_timestamp(), clock_timestamp())`,
      [action.id, action.caseId, action.kind, action.channel, action.partnerId, action.reason, action.externalRef],
    );
  }

  listForCase(db: SqlRunner, caseId: string): Promise<ActionRow[]> {
    return db.query(`SELECT * FROM action WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
  }

  /** A case's actions with the name and state of their partner, if any. */
  listWithPartner(db: SqlRunner, caseId: string): Promise<(ActionRow & { partner_name: string | null; partner_status: string | null })[]> {
    return db.query(
      `SELECT a.*, p.name AS partner_name, p.status AS partner_status FROM action a LEFT JOIN partner p ON p.id = a.partner_id WHERE a.case_id = $1`,
      [caseId],
    );
  }
}

export const actionRepository = new ActionRepository();

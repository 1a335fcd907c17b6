import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { PartnerRow } from './partner.row';

/** partner: the partner hotlines we exchange reports with, their keys and ours. */
@Injectable()
export class PartnerRepository {
  /** Active partners, by name: who a confirmed case may be forwarded to. */
  listActive(db: SqlRunner): Promise<Pick<PartnerRow, 'id' | 'name' | 'countries'>[]> {
    return db.query(`SELECT id, name, countries FROM partner WHERE status = 'active' ORDER BY name`);
  }

  /** Names of these partners, sorted. */
  async namesOf(db: SqlRunner, ids: readonly string[]): Promise<string[]> {
    const rows: Pick<PartnerRow, 'name'>[] = await db.query(`SELECT name FROM partner WHERE id = ANY($1::uuid[]) ORDER BY name`, [ids]);
    return rows.map((row) => row.name);
  }
}

export const partnerRepository = new PartnerRepository();

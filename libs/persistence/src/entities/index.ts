import { CaseEntity } from './case.entity';
import { OutboxEntity } from './outbox.entity';
import { ReportEntity } from './report.entity';
import { ReportedUrlEntity } from './reported-url.entity';

export { CaseEntity, OutboxEntity, ReportEntity, ReportedUrlEntity };
export type { ReportSource, ReportStatus } from './report.entity';

export const ENTITIES = [ReportEntity, ReportedUrlEntity, CaseEntity, OutboxEntity];

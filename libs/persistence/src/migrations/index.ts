import { IntakeSchema1795377612294 } from './1795377612294-IntakeSchema';
import { PipelineSchema1795400000000 } from './1795400000000-PipelineSchema';
import { WorkspaceSchema1795500000000 } from './1795500000000-WorkspaceSchema';
import { ExchangeSchema1795600000000 } from './1795600000000-ExchangeSchema';
import { VocabularyChecks1796165465846 } from './1796165465846-VocabularyChecks';
import { DerivedReportStatus1796165588165 } from './1796165588165-DerivedReportStatus';
import { ConsoleStaff1796200000000 } from './1796200000000-ConsoleStaff';
import { RemovedCaseIndex1796168975075 } from './1796168975075-RemovedCaseIndex';
import { ReviewQueueWaiting1796210000000 } from './1796210000000-ReviewQueueWaiting';
import { ReviewListIndexes1796220000000 } from './1796220000000-ReviewListIndexes';
import { PasswordChangeRequired1796230000000 } from './1796230000000-PasswordChangeRequired';
import { EscalationTakedown1796240000000 } from './1796240000000-EscalationTakedown';
import { StatsRollups1796250000000 } from './1796250000000-StatsRollups';
import { LegalHold1796260000000 } from './1796260000000-LegalHold';
import { CorrelationIds1796270000000 } from './1796270000000-CorrelationIds';
import { StatsViewingDaysOnline1796280000000 } from './1796280000000-StatsViewingDaysOnline';

/** Every migration in order. Listed explicitly so ts-jest, dist and the CLI load the same set. */
export const MIGRATIONS = [
  IntakeSchema1795377612294,
  PipelineSchema1795400000000,
  WorkspaceSchema1795500000000,
  ExchangeSchema1795600000000,
  VocabularyChecks1796165465846,
  DerivedReportStatus1796165588165,
  RemovedCaseIndex1796168975075,
  ConsoleStaff1796200000000,
  ReviewQueueWaiting1796210000000,
  ReviewListIndexes1796220000000,
  PasswordChangeRequired1796230000000,
  EscalationTakedown1796240000000,
  StatsRollups1796250000000,
  LegalHold1796260000000,
  CorrelationIds1796270000000,
  StatsViewingDaysOnline1796280000000,
];

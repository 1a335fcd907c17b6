import { HotlineConfig } from '@hotline/config';
import { createHttpApp, HttpAppOptions } from '@hotline/http';
import { BULK_REPORTS_OPENAPI } from './bulk-reports/bulk-reports.route';
import { IntakeModule } from './intake.module';
import { SUBMIT_REPORT_OPENAPI } from './reports/report-submission.route';

export const INTAKE_APP: HttpAppOptions = {
  name: 'intake-api',
  // A reporter's request gets an id of ours: one a proxy set would lead to its access log.
  acceptRequestId: false,
  title: 'Hotline public intake API',
  description:
    'Anonymous reporting of web addresses that may show child sexual abuse material. No client address is stored; ' +
    'errors are application/problem+json in the language of the request.',
  openApi: {
    paths: { ...SUBMIT_REPORT_OPENAPI.paths, ...BULK_REPORTS_OPENAPI.paths },
    extraModels: [...SUBMIT_REPORT_OPENAPI.extraModels, ...BULK_REPORTS_OPENAPI.extraModels],
  },
};

export function createIntakeApp(config: HotlineConfig) {
  return createHttpApp(IntakeModule.forRoot(config) as never, config, INTAKE_APP);
}

import { HotlineConfig } from '@hotline/config';
import { createHttpApp, HttpAppOptions } from '@hotline/http';
import { IntakeModule } from './intake.module';

export const INTAKE_APP: HttpAppOptions = {
  name: 'intake-api',
  title: 'Hotline public intake API',
  description:
    'Anonymous reporting of web addresses that may show child sexual abuse material. No client address is stored; ' +
    'errors are application/problem+json in the language of the request.',
};

export function createIntakeApp(config: HotlineConfig) {
  return createHttpApp(IntakeModule.forRoot(config) as never, config, INTAKE_APP);
}

import type { MessageText } from '@hotline/http';
import type { ConsoleLanguage } from './console-languages';

/** The admin pages' texts (keys prefixed `admin.`). */
export const ADMIN_MESSAGES = {} satisfies Record<string, Record<ConsoleLanguage, MessageText>>;

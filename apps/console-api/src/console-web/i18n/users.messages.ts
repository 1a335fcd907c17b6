import type { MessageText } from '@hotline/http';
import type { ConsoleLanguage } from './console-languages';

/** The users administration page's texts (keys prefixed `users.`). */
export const USERS_MESSAGES = {} satisfies Record<string, Record<ConsoleLanguage, MessageText>>;

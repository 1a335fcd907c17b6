import type { MessageText } from '@hotline/http';
import type { ConsoleLanguage } from './console-languages';

/** The review pages' texts (keys prefixed `review.`). */
export const REVIEW_MESSAGES = {} satisfies Record<string, Record<ConsoleLanguage, MessageText>>;

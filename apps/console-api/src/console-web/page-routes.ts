import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { PageExceptionFilter } from './page-exception.filter';

export const CONSOLE_PAGE = 'hotline:console-page';

/**
 * A controller of console pages (HTML for browsers): without a session a GET goes to the sign-in
 * page, and refusals and errors are pages in the user's language, not problem+json.
 */
export const ConsolePages = () => applyDecorators(SetMetadata(CONSOLE_PAGE, true), UseFilters(PageExceptionFilter));

/** No live session on a page: the browser is sent to sign in, and back here afterwards. */
export class SignInRequired extends Error {
  override readonly name = 'SignInRequired';
  constructor(readonly returnTo: string) {
    super('sign-in required');
  }
}

/** Where to go after signing in: only a path of this console, never another origin. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  return /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(value) && !value.startsWith('/login') ? value : '/';
}

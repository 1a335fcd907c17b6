/** Marks a console page route (metadata read by StaffAccessGuard). */
export const CONSOLE_PAGE = 'hotline:console-page';

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

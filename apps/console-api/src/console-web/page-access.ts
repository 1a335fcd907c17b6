/** Marks a console page route (metadata read by StaffAccessGuard). */
export const CONSOLE_PAGE = 'hotline:console-page';

/** No live session on a page: the browser is sent to sign in, and back here afterwards. */
export class SignInRequired extends Error {
  override readonly name = 'SignInRequired';
  constructor(readonly returnTo: string) {
    super('sign-in required');
  }
}

/** A page a user opens before choosing their own password (an admin chose it): the browser is sent to the password page. */
export class PasswordChangeRequired extends Error {
  override readonly name = 'PasswordChangeRequired';
  constructor() {
    super('password change required');
  }
}

/** The page where a signed-in user changes their own password. */
export const PASSWORD_PAGE = '/me/password';

/** Where to go after signing in: only a path of this console, never another origin. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  return /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(value) && !value.startsWith('/login') ? value : '/';
}

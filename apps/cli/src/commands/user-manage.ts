import { otpauthUri, StaffDirectory } from '@hotline/security';
import { CLI_ACTOR, directoryChange } from './user-create';

/** `user:disable`: the user can no longer sign in, and every session ends at once. */
export async function userDisable(directory: StaffDirectory, idOrEmail: string): Promise<string> {
  const user = await directoryChange('user:disable', () => directory.disable(idOrEmail, CLI_ACTOR));
  return `disabled ${user.email} (${user.id})\n`;
}

/** `user:reset-totp`: a new second factor (a lost phone); prints the new secret, once. */
export async function userResetTotp(directory: StaffDirectory, idOrEmail: string, json = false): Promise<string> {
  const user = await directoryChange('user:reset-totp', () => directory.resetTotp(idOrEmail, CLI_ACTOR));
  if (json) return `${JSON.stringify({ id: user.id, email: user.email, role: user.role, totpSecret: user.totpSecret })}\n`;
  return `new totp secret for ${user.email} (${user.id}): ${user.totpSecret}\notpauth URI: ${otpauthUri(user.totpSecret, user.email)}\n`;
}

/** `user:set-role`: a new role (and agency, for an le_liaison); every session ends at once. */
export async function userSetRole(directory: StaffDirectory, idOrEmail: string, options: { role: string; agency?: string }): Promise<string> {
  const user = await directoryChange('user:set-role', () => directory.setRole(idOrEmail, options.role, options.agency ?? null, CLI_ACTOR));
  return `${user.email} (${user.id}) is now ${user.role}${user.agency ? ` of ${user.agency}` : ''}\n`;
}

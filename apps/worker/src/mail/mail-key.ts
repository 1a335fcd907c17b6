import type { MailKind } from './mail-kind';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KINDS: readonly MailKind['kind'][] = ['notice', 'reminder', 'feedback'];

/**
 * Reads a mail key `<kind>:<uuid>`. Anything after a second ':' is ignored (a writer may append a
 * tag so the outbox publishes the same mail again, e.g. after a police hold is lifted); the job id
 * comes from `<kind>:<uuid>` alone.
 */
export function mailKeyOf(raw: string): { kind: MailKind['kind']; id: string; key: string } | null {
  const [kind, id] = raw.split(':');
  if (!KINDS.includes(kind as MailKind['kind']) || !id || !UUID.test(id)) return null;
  return { kind: kind as MailKind['kind'], id: id.toLowerCase(), key: `${kind}:${id.toLowerCase()}` };
}

/** The keyset cursor of case pages: the review order's position of the last case shown. */
export interface Cursor {
  priority: number;
  at: string;
  id: string;
}

// timestamptz as PostgreSQL writes it as text, e.g. `2026-11-22 21:30:05.123456+00`.
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.priority, cursor.at, cursor.id])).toString('base64url');
}

/** undefined when the text is not a cursor this API wrote. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const [priority, at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Number.isInteger(priority) && typeof at === 'string' && PG_TIMESTAMP.test(at) && /^[0-9a-f-]{36}$/.test(id)) return { priority, at, id };
  } catch {
    // not JSON
  }
  return undefined;
}

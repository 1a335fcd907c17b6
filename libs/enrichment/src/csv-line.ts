/**
 * Splits one CSV line into its fields. Quoted fields follow RFC 4180 (`"Example, Inc."`, `""` for
 * a quote inside quotes) because organisation names contain commas; a field never spans lines.
 * Null when a quote is left open.
 */
export function splitCsvLine(line: string): string[] | null {
  // Most lines of a large table have no quotes: split them the fast way.
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

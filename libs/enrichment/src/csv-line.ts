import Papa from 'papaparse';

/**
 * The one CSV parser of the platform, for every CSV file it reads (the IP-range table, known-URL
 * lists): one record a line, since no field of these files ever holds a line break, so a reader
 * splits lines itself (a stream of them, for big files) and names the line of each bad row.
 * Quoted fields follow RFC 4180 (`"Example, Inc."`, `""` for a quote inside quotes): Papa Parse
 * does that part. Fields come back as they are written (callers trim them).
 */

/** A line that is not one CSV record: `problem` says why, for the caller's message. */
export type CsvLine = { fields: string[] } | { problem: string };

const DIALECT: Papa.ParseConfig = {
  delimiter: ',',
  // The line has no line break of its own: a carriage return inside quotes stays data.
  newline: '\n',
  quoteChar: '"',
  escapeChar: '"',
  header: false,
  dynamicTyping: false,
  skipEmptyLines: false,
  comments: false,
};

export function splitCsvLine(line: string): CsvLine {
  // Without a quote RFC 4180 makes every comma a separator: most lines of a large table are like
  // that, and split() is several times faster than the parser for them (csv-line.spec.ts checks
  // that both give the same fields).
  if (!line.includes('"')) return { fields: line.split(',') };
  const result = Papa.parse<string[]>(line, DIALECT);
  const [error] = result.errors;
  if (error) return { problem: error.code === 'MissingQuotes' ? 'unterminated quote' : 'text after a closing quote (a quote inside quotes is written "")' };
  return { fields: result.data[0] ?? [''] };
}

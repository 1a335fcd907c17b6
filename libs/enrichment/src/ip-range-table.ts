import { readFileSync } from 'node:fs';
import { splitCsvLine } from './csv-line';
import { IpNumber, parseIp } from './ip-address';

/** What an IP-range table says about an address. */
export interface IpRangeInfo {
  /** ISO 3166-1 alpha-2, upper-case; null when the table leaves it empty. */
  country: string | null;
  asn: number | null;
  organisation: string | null;
}

const HEADER = 'start,end,country,asn,organisation';
const MAX_ASN = 4294967295; // ASNs are 32-bit (RFC 6793)

interface Row<T extends number | bigint> {
  start: T;
  end: T;
  info: IpRangeInfo;
  line: number;
}

/**
 * The IP-range table that maps addresses to country and ASN: a CSV file with the header
 * `start,end,country,asn,organisation`, one inclusive range a line, IPv4 and IPv6 mixed, `#` lines
 * ignored. Loaded once at start-up, sorted once, then each lookup is a binary search, so tables of
 * millions of rows stay fast.
 */
export class IpRangeTable {
  private constructor(
    private readonly v4: SortedRanges<number>,
    private readonly v6: SortedRanges<bigint>,
  ) {}

  /** Reads and checks the whole file; throws an Error naming the file and line of a bad row. */
  static load(path: string): IpRangeTable {
    const v4: Row<number>[] = [];
    const v6: Row<bigint>[] = [];
    // Rows with the same country, ASN and organisation share one frozen object: far less memory
    // on large tables, and callers cannot change the table through a lookup's result.
    const infos = new Map<string, IpRangeInfo>();
    const lines = readFileSync(path, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\n');
    let sawHeader = false;

    for (let i = 0; i < lines.length; i++) {
      const text = lines[i].trim();
      if (text === '' || text.startsWith('#')) continue;
      const fail = (problem: string): never => {
        throw new Error(`IP range table ${path}, line ${i + 1}: ${problem}`);
      };
      if (!sawHeader) {
        if (text.toLowerCase() !== HEADER) fail(`expected the header "${HEADER}"`);
        sawHeader = true;
        continue;
      }
      const { start, end, info: parsed } = parseRow(text, fail);
      const key = `${parsed.country}|${parsed.asn}|${parsed.organisation}`;
      let info = infos.get(key);
      if (!info) {
        info = Object.freeze(parsed);
        infos.set(key, info);
      }
      // parseRow has checked that end is of start's IP version.
      if (start.family === 4) v4.push({ start: start.value, end: end.value as number, info, line: i + 1 });
      else v6.push({ start: start.value, end: end.value as bigint, info, line: i + 1 });
    }
    if (!sawHeader) throw new Error(`IP range table ${path}: no header line "${HEADER}"`);
    return new IpRangeTable(SortedRanges.build(v4, path), SortedRanges.build(v6, path));
  }

  /** The range containing `ip`, or null when no range does. Throws when `ip` is not an address. */
  lookup(ip: string): IpRangeInfo | null {
    const address = parseIp(ip);
    if (!address) throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
    return address.family === 4 ? this.v4.find(address.value) : this.v6.find(address.value);
  }
}

function parseRow(text: string, fail: (problem: string) => never): { start: IpNumber; end: IpNumber; info: IpRangeInfo } {
  const record = splitCsvLine(text);
  if ('problem' in record) return fail(record.problem);
  const { fields } = record;
  if (fields.length !== 5) return fail(`expected 5 fields (${HEADER}), found ${fields.length}`);
  const [startText, endText, countryText, asnText, organisation] = fields.map((field) => field.trim());

  const start = parseIp(startText) ?? fail(`start ${JSON.stringify(startText)} is not an IP address`);
  const end = parseIp(endText) ?? fail(`end ${JSON.stringify(endText)} is not an IP address`);
  if (start.family !== end.family) fail('start and end are not of the same IP version');
  if (start.value > end.value) fail('start is after end');
  if (countryText !== '' && !/^[A-Za-z]{2}$/.test(countryText)) {
    fail(`country ${JSON.stringify(countryText)} is not an ISO 3166-1 alpha-2 code`);
  }
  if (asnText !== '' && !(/^\d{1,10}$/.test(asnText) && Number(asnText) <= MAX_ASN)) {
    fail(`asn ${JSON.stringify(asnText)} is not an AS number`);
  }

  const info: IpRangeInfo = {
    country: countryText === '' ? null : countryText.toUpperCase(),
    asn: asnText === '' ? null : Number(asnText),
    organisation: organisation === '' ? null : organisation,
  };
  return { start, end, info };
}

/** Non-overlapping inclusive ranges of one IP version, sorted by start. */
class SortedRanges<T extends number | bigint> {
  private constructor(
    private readonly starts: T[],
    private readonly ends: T[],
    private readonly infos: IpRangeInfo[],
  ) {}

  /** Sorts the rows and refuses overlaps: with them a binary search could miss the right range. */
  static build<T extends number | bigint>(rows: Row<T>[], path: string): SortedRanges<T> {
    rows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].start <= rows[i - 1].end) {
        throw new Error(`IP range table ${path}, line ${rows[i].line}: range overlaps the one on line ${rows[i - 1].line}`);
      }
    }
    return new SortedRanges(
      rows.map((row) => row.start),
      rows.map((row) => row.end),
      rows.map((row) => row.info),
    );
  }

  find(address: T): IpRangeInfo | null {
    // The last range starting at or before the address is the only one that can contain it.
    let low = 0;
    let high = this.starts.length - 1;
    let candidate = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle] <= address) {
        candidate = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return candidate >= 0 && address <= this.ends[candidate] ? this.infos[candidate] : null;
  }
}

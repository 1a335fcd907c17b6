import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHashRow, RawHashRow, readHashCsvRows } from './known-hashes-import';

const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

describe('known-hashes:import CSV rows', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'known-hashes-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rows = async (text: string): Promise<RawHashRow[]> => {
    const path = join(dir, 'list.csv');
    writeFileSync(path, text);
    const all: RawHashRow[] = [];
    for await (const row of readHashCsvRows(path)) all.push(row);
    return all;
  };

  it('reads CRLF files with a byte-order mark and columns in any order', async () => {
    expect(await rows(`\uFEFFverdict,Algorithm,value\r\nbaseline,SHA1,${SHA1.toUpperCase()}\r\n\r\nnational,md5,"${'a'.repeat(32)}"\r\n`)).toEqual([
      { line: 2, algorithm: 'SHA1', value: SHA1.toUpperCase(), verdict: 'baseline' },
      { line: 4, algorithm: 'md5', value: 'a'.repeat(32), verdict: 'national' },
    ]);
  });

  it('names the line of a row with the wrong number of fields and goes on', async () => {
    expect(await rows(`algorithm,value,verdict\nsha1,${SHA1}\nsha1,${SHA1},baseline\n`)).toEqual([
      { line: 2, problem: '2 fields but the header names 3' },
      { line: 3, algorithm: 'sha1', value: SHA1, verdict: 'baseline' },
    ]);
  });

  it('stops at a bad header', async () => {
    expect(await rows(`algorithm,hash,verdict\nsha1,${SHA1},baseline\n`)).toEqual([{ line: 1, problem: 'the first line must be the header "algorithm,value,verdict"' }]);
    expect(await rows(`algorithm,value\nsha1,${SHA1}\n`)).toEqual([{ line: 1, problem: 'the first line must be the header "algorithm,value,verdict"' }]);
  });

  it('checks each row: normalised hash, confirming verdicts only, the value never echoed', () => {
    expect(checkHashRow({ line: 2, algorithm: ' SHA1', value: SHA1.toUpperCase(), verdict: 'national ' })).toEqual({
      line: 2,
      algorithm: 'sha1',
      value: SHA1,
      verdict: 'national',
    });
    expect(checkHashRow({ line: 3, algorithm: 'sha1', value: SHA1, verdict: 'not_illegal' })).toBe('unknown verdict (one of baseline, national)');
    expect(checkHashRow({ line: 4, algorithm: 'sha512', value: SHA1, verdict: 'baseline' })).toBe('unknown algorithm (one of sha256, sha1, md5)');
    expect(checkHashRow({ line: 5, algorithm: 'sha256', value: SHA1, verdict: 'baseline' })).toBe('not a sha256 digest in hex');
  });
});

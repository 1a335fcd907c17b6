import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawRow, readCsvRows } from './known-urls-import';

describe('known-urls:import CSV rows', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'known-urls-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rows = async (text: string): Promise<RawRow[]> => {
    const path = join(dir, 'list.csv');
    writeFileSync(path, text);
    const all: RawRow[] = [];
    for await (const row of readCsvRows(path)) all.push(row);
    return all;
  };

  it('reads CRLF files with a byte-order mark, quoted URLs and columns in any order', async () => {
    const text = '\uFEFFverdict,url\r\nbaseline,http://example.com/a\r\n\r\n national ,"http://example.com/b?x=1,2"\r\n,"http://example.com/say?q=""hi"""\r\n';
    expect(await rows(text)).toEqual([
      { line: 2, url: 'http://example.com/a', verdict: 'baseline' },
      { line: 4, url: 'http://example.com/b?x=1,2', verdict: 'national' },
      { line: 5, url: 'http://example.com/say?q="hi"', verdict: '' },
    ]);
  });

  it('names the line of a bad row and goes on', async () => {
    expect(await rows('url\n"http://example.com/open\nhttp://example.com/a,b\nhttp://example.com/ok\n')).toEqual([
      { line: 2, problem: 'unterminated quote' },
      { line: 3, problem: '2 fields but the header names 1 (quote a URL that contains a comma)' },
      { line: 4, url: 'http://example.com/ok', verdict: undefined },
    ]);
  });

  it('stops at a bad header', async () => {
    expect(await rows('address,verdict\nhttp://example.com/a,baseline\n')).toEqual([{ line: 1, problem: 'the first line must be the header "url,verdict" (or "url")' }]);
  });
});

import fc from 'fast-check';
import Papa from 'papaparse';
import { splitCsvLine } from './csv-line';

describe('splitCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['', ['']],
    [',', ['', '']],
    ['"Example Hosting, GmbH",DE', ['Example Hosting, GmbH', 'DE']],
    ['"http://example.com/a?x=1,2",', ['http://example.com/a?x=1,2', '']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"",""', ['', '']],
    // A quote inside an unquoted field is a character like any other.
    ['http://example.com/a"b,national', ['http://example.com/a"b', 'national']],
    // Spaces outside the quotes are kept for the caller to trim; a quoted field keeps its own.
    ['"a" ,b', ['a', 'b']],
    ['x," spaced "', ['x', ' spaced ']],
    // A reader that splits a CRLF file on \n leaves the \r on the line; inside quotes it is data.
    ['a,"b\rc"', ['a', 'b\rc']],
    ['a,b\r', ['a', 'b\r']],
  ])('splits %j', (line, fields) => {
    expect(splitCsvLine(line)).toEqual({ fields });
  });

  it.each([
    ['"open', 'unterminated quote'],
    ['a,"b', 'unterminated quote'],
    ['"a"b,c', 'text after a closing quote (a quote inside quotes is written "")'],
  ])('names the problem of %j', (line, problem) => {
    expect(splitCsvLine(line)).toEqual({ problem });
  });

  it('gives the parser`s fields for lines without quotes (the fast path)', () => {
    const unquoted = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', ' ', '\t', '\r', '#', '.', ':', '/', 'é', '中') });
    fc.assert(
      fc.property(unquoted, (line) => {
        const parsed = Papa.parse<string[]>(line, { delimiter: ',', newline: '\n' }).data[0] ?? [''];
        expect(splitCsvLine(line)).toEqual({ fields: parsed });
      }),
    );
  });
});

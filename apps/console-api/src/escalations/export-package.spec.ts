import { strFromU8, unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { buildExportPackage, MANIFEST_NAME, toCsv } from './export-package';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const META = { escalationId: '0190a3b4-0000-7000-8000-000000000001', createdAt: new Date('2026-05-01T10:00:00.000Z') };

describe('buildExportPackage', () => {
  const files = [
    { name: 'case.json', content: '{"id":"x","note":"é"}\n' },
    { name: 'timeline.csv', content: '"at","kind"\r\n' },
  ];

  it('zips the files and a manifest with each file’s byte size and SHA-256, and gives the manifest’s digest', () => {
    const built = buildExportPackage(files, META);
    const unzipped = unzipSync(built.zip);
    expect(Object.keys(unzipped).sort()).toEqual(['case.json', MANIFEST_NAME, 'timeline.csv']);
    const manifest = JSON.parse(strFromU8(unzipped[MANIFEST_NAME]));
    expect(manifest).toEqual(built.manifest);
    expect(manifest).toMatchObject({ escalationId: META.escalationId, createdAt: '2026-05-01T10:00:00.000Z' });
    for (const entry of manifest.files) {
      expect(entry.bytes).toBe(unzipped[entry.name].length);
      expect(entry.sha256).toBe(sha256(unzipped[entry.name]));
    }
    // Bytes, not characters: é is two.
    expect(manifest.files[0]).toMatchObject({ name: 'case.json', bytes: Buffer.byteLength(files[0].content) });
    expect(built.manifestSha256).toBe(sha256(unzipped[MANIFEST_NAME]));
    expect(strFromU8(unzipped['case.json'])).toBe(files[0].content);
  });

  it('makes the same bytes from the same files and time', () => {
    expect(Buffer.from(buildExportPackage(files, META).zip).equals(Buffer.from(buildExportPackage(files, META).zip))).toBe(true);
    const later = buildExportPackage(files, { ...META, createdAt: new Date('2026-05-01T10:00:02.000Z') });
    expect(later.manifestSha256).not.toBe(buildExportPackage(files, META).manifestSha256);
  });

  it('refuses a repeated name, the manifest’s own name and names that are not plain', () => {
    expect(() => buildExportPackage([files[0], files[0]], META)).toThrow(/repeated/);
    expect(() => buildExportPackage([{ name: MANIFEST_NAME, content: '{}' }], META)).toThrow();
    expect(() => buildExportPackage([{ name: '../case.json', content: '{}' }], META)).toThrow();
  });
});

describe('toCsv', () => {
  it('quotes every field, doubles quotes, ends lines with CRLF, writes dates as ISO and objects as JSON', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x "y"', null],
          [new Date('2026-01-02T03:04:05.000Z'), { k: 1 }],
        ],
      ),
    ).toBe('"a","b"\r\n"x ""y""",""\r\n"2026-01-02T03:04:05.000Z","{""k"":1}"\r\n');
  });

  it('keeps a spreadsheet from running a field as a formula', () => {
    expect(toCsv(['v'], [['=HYPERLINK("x")'], ['+1'], ['-2'], ['@a'], ['ok']])).toBe('"v"\r\n"\'=HYPERLINK(""x"")"\r\n"\'+1"\r\n"\'-2"\r\n"\'@a"\r\n"ok"\r\n');
  });
});

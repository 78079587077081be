import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { importDeckFile } from '../../../electron/services/decks/exchange';
import { AppError } from '../../../src/shared/errors';
import { createTranslator, importErrorText } from '../../../src/shared/i18n';
import { fixture, freshDatabase, snapshot } from './support';
import { ankiPackage, goodNote, manifest, proofdeckZip, renameEntry, sqliteBytes, validProofdeck } from './build';

const ko = createTranslator('ko');
const en = createTranslator('en');

interface Case {
  name: string;
  fileName: string;
  bytes: () => Uint8Array;
  code: 'import-invalid' | 'import-too-large' | 'import-unsupported';
  reason: string;
}

const half = (bytes: Uint8Array) => bytes.subarray(0, Math.floor(bytes.length / 2));

const cases: Case[] = [
  { name: 'a truncated .apkg', fileName: 't.apkg', bytes: () => half(fixture('apkgexport-output.apkg')), code: 'import-invalid', reason: 'not-zip' },
  { name: 'a file that is not a zip', fileName: 'x.proofdeck', bytes: () => new TextEncoder().encode('just text, not a deck'), code: 'import-invalid', reason: 'not-zip' },
  { name: 'a zip entry with ..', fileName: 'x.proofdeck', bytes: () => proofdeckZip({ 'manifest.json': manifest(), 'notes.json': [goodNote()], '../escape.txt': 'x' }), code: 'import-invalid', reason: 'zip-path' },
  { name: 'a zip entry with an absolute path', fileName: 'x.proofdeck', bytes: () => proofdeckZip({ 'manifest.json': manifest(), 'notes.json': [goodNote()], '/etc/passwd': 'x' }), code: 'import-invalid', reason: 'zip-path' },
  { name: 'a zip bomb (ratio)', fileName: 'x.proofdeck', bytes: () => proofdeckZip({ 'manifest.json': manifest(), 'notes.json': new Uint8Array(8 * 1024 * 1024) }), code: 'import-too-large', reason: 'zip-ratio' },
  {
    name: 'a zip bomb (declared total size)',
    fileName: 'x.proofdeck',
    bytes: () => {
      const zip = Buffer.from(validProofdeck());
      // raise every central-directory "uncompressed size" to 300 MiB: refused before inflating anything
      for (let i = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) zip.writeUInt32LE(300 * 1024 * 1024, i + 24);
      return new Uint8Array(zip);
    },
    code: 'import-too-large',
    reason: 'zip-total',
  },
  { name: 'duplicate zip entries', fileName: 'x.proofdeck', bytes: () => renameEntry(proofdeckZip({ 'manifest.json': manifest(), 'notes.json': [goodNote()], 'manifestXjson': 'x' }), 'manifestXjson', 'manifest.json'), code: 'import-invalid', reason: 'zip-duplicate' },
  { name: 'a newer format version', fileName: 'x.proofdeck', bytes: () => proofdeckZip({ 'manifest.json': manifest({ version: 99 }), 'notes.json': [goodNote()] }), code: 'import-unsupported', reason: 'format-newer' },
  { name: 'invalid UTF-8', fileName: 'x.proofdeck', bytes: () => proofdeckZip({ 'manifest.json': manifest(), 'notes.json': new Uint8Array([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]) }), code: 'import-invalid', reason: 'utf8' },
  { name: 'a manifest that does not match the format', fileName: 'x.proofdeck', bytes: () => proofdeckZip({ 'manifest.json': { format: 'proofdeck', version: 1 }, 'notes.json': [] }), code: 'import-invalid', reason: 'schema' },
  { name: 'an SQLite file that is not an Anki collection', fileName: 'x.apkg', bytes: () => zipSync({ 'collection.anki2': sqliteBytes('CREATE TABLE foo (x); INSERT INTO foo VALUES (1);') }), code: 'import-invalid', reason: 'not-anki' },
  { name: 'a collection that is not SQLite at all', fileName: 'x.apkg', bytes: () => zipSync({ 'collection.anki2': new Uint8Array(4096).fill(7) }), code: 'import-invalid', reason: 'not-anki' },
  { name: 'Anki media listed but missing', fileName: 'x.apkg', bytes: () => ankiPackage(['<img src="a.png">', 'b'], { '0': 'a.png' }), code: 'import-invalid', reason: 'media-missing' },
  { name: 'an Anki media name with a path', fileName: 'x.apkg', bytes: () => ankiPackage(['a', 'b'], { '0': '../../a.png' }, { '0': new Uint8Array([1]) }), code: 'import-invalid', reason: 'media-name' },
  {
    name: 'ProofDeck media listed but missing',
    fileName: 'x.proofdeck',
    bytes: () => proofdeckZip({ 'manifest.json': manifest({ media: [{ name: 'a.png', sha1: 'a'.repeat(40), mime: 'image/png' }] }), 'notes.json': [goodNote()] }),
    code: 'import-invalid',
    reason: 'media-missing',
  },
  { name: 'a ragged CSV', fileName: 'x.csv', bytes: () => new TextEncoder().encode('front,back\nq1,a1\nq2,a2,extra\n'), code: 'import-invalid', reason: 'csv-ragged' },
  { name: 'an unknown file type', fileName: 'x.pdf', bytes: () => new TextEncoder().encode('%PDF-1.4'), code: 'import-unsupported', reason: 'unknown-format' },
];

describe('bad input: a clear error and nothing changed', () => {
  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, () => {
      const db = freshDatabase();
      importDeckFile(db, validProofdeck(), { fileName: 'ok.proofdeck' });
      importDeckFile(db, fixture('anki-update1.apkg'), { fileName: 'u.apkg' });
      const before = snapshot(db);
      let error: unknown;
      try {
        importDeckFile(db, testCase.bytes(), { fileName: testCase.fileName }, { default: 'take-theirs' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(testCase.code);
      expect((error as AppError).params?.reason).toBe(testCase.reason);
      // the user reads the reason in their language, not an English detail
      const korean = importErrorText(ko, error);
      expect(korean).toMatch(/[가-힣]/);
      expect(korean).not.toBe(importErrorText(en, error));
      expect(ko.has(`decks.reason.${testCase.reason}`)).toBe(true);
      expect(snapshot(db)).toEqual(before);
    });
  }

  it('imports HTML with scripts, handlers, javascript: links and remote images only after removing them, and says so', () => {
    const db = freshDatabase();
    const hostile = [
      'Q <script>window.__canary = 1</script><img src="x.png" onerror="window.__canary = 2"><a href="javascript:alert(1)">link</a>',
      'A <img src="https://canary.invalid/ping.png"><img src="//canary.invalid/p.png"><iframe src="https://canary.invalid"></iframe><b style="background:url(https://canary.invalid/s)">bold</b>',
    ];
    const { parsed } = importDeckFile(db, ankiPackage(hostile), { fileName: 'hostile.apkg' });
    expect(parsed.warnings).toContainEqual({ code: 'html-sanitized', count: 1, examples: ['hostile-1'] });
    const stored = db.prepare('SELECT front, back FROM notes').get() as { front: string; back: string };
    const html = stored.front + stored.back;
    expect(html).not.toMatch(/<script|onerror|javascript:|canary\.invalid|<iframe|style=/i);
    expect(stored.front).toContain('![](x.png)');
    expect(stored.back).toContain('**bold**');
  });
});

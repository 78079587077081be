// The hostile deck files: every attack the import must refuse with a clear error naming its limit
// (or survive as a clean import), as a table the suite and the bench both walk.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import type { ParserBudget } from '../../../../electron/services/decks/isolated-parse';
import { MiB, ankiCollection, breakCrc, concat, json, latestApkg, legacyApkg, noise, notesTable, tempFile, text, zip, zstdFrame, zstdOfFile, zstdRle } from './files';

export interface HostileCase {
  name: string;
  fileName: string;
  /** The file's bytes, or the path of a folder to import. */
  make(): Uint8Array | { folder: string };
  /** The reasons a refusal may give (`params.reason`), or 'imports' for a file that must import cleanly. */
  expect: string[] | 'imports';
  budget?: ParserBudget;
}

const generated = "GENERATED ALWAYS AS (printf('%.*c',300000000,'x')||char(31)||'b') VIRTUAL";
const twentyRows = Array.from({ length: 20 }, (_, i) => `INSERT INTO notes VALUES (${i + 1}, 'g${i}', 10, 0, 0, '', '', 0, 0, '');`).join('\n');
// Rows are stored first and the column made generated after (as an attacker edits the schema):
// SQLite would compute the expression on every insert otherwise.
const storedNotes = 'CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text, sfld text, csum integer, flags integer, data text);';
const makeGenerated = `PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, 'tags text,', 'tags text, flds text ${generated.replace(/'/g, "''")},') WHERE name = 'notes'; PRAGMA writable_schema = RESET;`;
const basic = (count: number, fields: (i: number) => string, mid = 10): [string, number, string][] => Array.from({ length: count }, (_, i) => [`n${i}`, mid, fields(i)]);
const legacy = (options: Parameters<typeof ankiCollection>[0]) => legacyApkg(ankiCollection(options) as Uint8Array);
const clozes = (count: number) => Array.from({ length: count }, (_, i) => `{{c${i + 1}::w${i}}}`).join(' ');
const smallCollection = () => zstdFrame(ankiCollection({ notes: basic(1, () => 'q\x1fa') }) as Uint8Array);
const proofdeck = (notes: unknown[], media: { name: string; sha1: string; mime: string }[] = [], files: Record<string, Uint8Array> = {}) =>
  zipSync({ 'manifest.json': json({ format: 'proofdeck', version: 2, deck: { name: 'Hostile' }, includesSchedule: false, media }), 'notes.json': json(notes), ...files });
const note = (extra: Record<string, unknown> = {}) => ({ guid: 'h-1', front: 'Q', back: 'A', context: '', tags: [], ...extra });
const markdown = (body: string) => text(`---\ntitle: Hostile\n---\n${body}`);

/** One raw deflate entry whose central directory declares `declared` bytes but inflates to `actual`. */
function lyingZip(declared: number, actual: number): Uint8Array {
  const bytes = Buffer.from(zip({ 'manifest.json': json({ format: 'proofdeck', version: 1, deck: { name: 'x' }, media: [] }), 'notes.json': new Uint8Array(actual) }));
  for (let i = bytes.indexOf(Buffer.from('PK\x01\x02')); i >= 0; i = bytes.indexOf(Buffer.from('PK\x01\x02'), i + 4)) {
    if (bytes.subarray(i + 46, i + 56).toString() === 'notes.json') bytes.writeUInt32LE(declared, i + 24);
  }
  return new Uint8Array(bytes);
}

function withFlag(zip: Uint8Array, flag: number): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let i = bytes.indexOf(Buffer.from('PK\x01\x02')); i >= 0; i = bytes.indexOf(Buffer.from('PK\x01\x02'), i + 4)) bytes.writeUInt16LE(bytes.readUInt16LE(i + 8) | flag, i + 8);
  return new Uint8Array(bytes);
}

/** A collection of `size` MiB on disk: a valid Anki schema plus one zero-filled value, as a zstd frame. */
function bigCollection(size: number, where: 'notes' | 'pad'): Uint8Array {
  const file = tempFile('collection.anki2');
  const blob = `zeroblob(${size * MiB})`;
  ankiCollection({
    file,
    pageSize: 65536,
    notes: where === 'notes' ? [] : basic(1, () => 'q\x1fa'),
    extraSql: where === 'notes' ? `INSERT INTO notes VALUES (1, 'big', 10, 0, 0, '', ${blob}, '', 0, 0, '');` : `CREATE TABLE pad (x blob); INSERT INTO pad VALUES (${blob});`,
  });
  return zstdOfFile(file);
}

function folder(build: (root: string) => void): { folder: string } {
  const root = mkdtempSync(join(tmpdir(), 'pd-hostile-folder-'));
  build(root);
  return { folder: root };
}

export const hostileCases: HostileCase[] = [
  // Anki collections that compute values as they are read, or stand in for tables
  { name: 'generated column in notes (the 1 KB .apkg of the report)', fileName: 'gen.apkg', make: () => legacy({ notesSql: storedNotes, extraSql: twentyRows + makeGenerated }), expect: ['anki-generated-column'] },
  { name: 'generated column, newest layout (zstd collection)', fileName: 'gen21b.apkg', make: () => latestApkg(zstdFrame(ankiCollection({ notesSql: storedNotes, extraSql: twentyRows + makeGenerated }) as Uint8Array)), expect: ['anki-generated-column'] },
  {
    name: 'stored generated column in cards',
    fileName: 'stored.apkg',
    make: () => legacy({ notes: basic(1, () => 'q\x1fa'), extraSql: "DROP TABLE cards; CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer, usn integer, type integer, queue integer, due integer, ivl integer, factor integer, reps integer, lapses integer, left integer, odue integer, odid integer, flags integer, data text GENERATED ALWAYS AS ('x') STORED);" }),
    expect: ['anki-generated-column'],
  },
  { name: 'a view standing in for notes', fileName: 'view.apkg', make: () => legacy({ notesSql: notesTable.replace('TABLE notes', 'TABLE real_notes') + ` CREATE VIEW notes AS SELECT id, guid, mid, mod, usn, tags, printf('%.*c',300000000,'x') AS flds, sfld, csum, flags, data FROM real_notes;` }), expect: ['anki-view'] },
  { name: 'a trigger in the collection', fileName: 'trigger.apkg', make: () => legacy({ notes: basic(1, () => 'q\x1fa'), extraSql: 'CREATE TRIGGER boom AFTER INSERT ON notes BEGIN SELECT 1; END;' }), expect: ['anki-trigger'] },
  { name: 'a virtual table standing in for notes', fileName: 'vtab.apkg', make: () => legacy({ notesSql: 'CREATE VIRTUAL TABLE notes USING fts5(id, guid, mid, tags, flds);' }), expect: ['anki-virtual-table'] },
  {
    name: 'a computed default for old rows',
    fileName: 'default.apkg',
    make: () =>
      legacy({
        notes: basic(2, () => 'q\x1fa'),
        extraSql: "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, 'data text)', 'data text, extra text DEFAULT (printf(''%.*c'',300000000,''x'')))') WHERE name = 'notes'; PRAGMA writable_schema = RESET;",
      }),
    expect: 'imports',
  },
  // Sizes measured in SQL before a row is read
  { name: 'a stored 5 MiB note', fileName: 'bignote.apkg', make: () => legacy({ notes: basic(1, () => 'q\x1f' + noise(5 * MiB)) }), expect: ['note-too-large'] },
  { name: 'a 1.5 MiB field', fileName: 'bigfield.apkg', make: () => legacy({ notes: basic(1, () => 'q\x1f' + noise(1.5 * MiB)) }), expect: ['field-too-large'] },
  { name: 'a stored 64 MiB value (zstd collection)', fileName: 'huge-value.apkg', make: () => latestApkg(bigCollection(64, 'notes')), expect: ['note-too-large'] },
  { name: 'note types JSON of 17 MiB', fileName: 'models.apkg', make: () => legacy({ notes: basic(1, () => 'q\x1fa'), extraSql: `UPDATE col SET models = '{"x":"${noise(17 * MiB)}"}';` }), expect: ['anki-value-too-large'] },
  { name: '200,001 notes', fileName: 'many.apkg', make: () => legacy({ notes: basic(200_001, () => 'q\x1fa') }), expect: ['too-many-notes'] },
  // Cloze explosions
  { name: 'cloze explosion: 300 notes × c1…c999 (Anki)', fileName: 'cloze.apkg', make: () => legacy({ notes: basic(300, () => clozes(999) + '\x1f', 20) }), expect: ['too-many-cards-note'] },
  { name: 'cloze explosion: 300 rows × c1…c999 (CSV)', fileName: 'cloze.csv', make: () => text(Array.from({ length: 300 }, (_, i) => `"${i} ${clozes(999)}",a`).join('\n')), expect: ['too-many-cards-note'] },
  { name: 'cloze explosion under the per-note cap: 5,000 rows × 90 cards', fileName: 'cloze90.csv', make: () => text(Array.from({ length: 5000 }, (_, i) => `"${i} ${clozes(90)}",a`).join('\n')), expect: ['too-many-cards'] },
  { name: 'cloze explosion in Markdown', fileName: 'cloze.md', make: () => markdown(`## Q. ${clozes(150)}\n\nA. x\n`), expect: ['too-many-cards-note'] },
  // zstd bombs, each kind
  { name: 'zstd collection declaring 1 GiB', fileName: 'col-declared.apkg', make: () => latestApkg(zstdRle(16, 0, 1024 * MiB)), expect: ['collection-too-large'] },
  { name: 'zstd collection streaming past 256 MiB', fileName: 'col-stream.apkg', make: () => latestApkg(zstdRle(300 * MiB, 0, null)), expect: ['collection-too-large'] },
  { name: 'zstd frame asking for a 2 GiB window', fileName: 'window.apkg', make: () => latestApkg(concat([new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3]), new Uint8Array(8)])), expect: ['zstd-window'] },
  { name: 'zstd frame lying about its size', fileName: 'lying.apkg', make: () => latestApkg(zstdRle(300 * MiB, 0, 4096)), expect: ['zstd', 'not-anki'] },
  { name: 'zstd media: entries each declaring 200 MiB (the report)', fileName: 'media200.apkg', make: () => latestApkg(smallCollection(), Array.from({ length: 11 }, (_, i) => ({ name: `m${i}.png`, frame: zstdRle(16, 1, 200 * MiB) }))), expect: ['media-too-large'] },
  { name: 'zstd media: 60 MiB each past the media budget', fileName: 'media60.apkg', make: () => latestApkg(smallCollection(), Array.from({ length: 6 }, (_, i) => ({ name: `m${i}.png`, frame: zstdRle(60 * MiB, 2) }))), expect: ['media-budget'] },
  { name: 'zstd media streamed without a size', fileName: 'media-stream.apkg', make: () => latestApkg(smallCollection(), [{ name: 'm.png', frame: zstdRle(100 * MiB, 3, null) }]), expect: ['media-too-large'] },
  { name: 'the whole-import budget: a 250 MiB collection and 60 MiB media', fileName: 'budget.apkg', make: () => latestApkg(bigCollection(250, 'pad'), Array.from({ length: 4 }, (_, i) => ({ name: `m${i}.png`, frame: zstdRle(60 * MiB, 4) }))), expect: ['decompressed-budget'] },
  // Zip bombs and damaged zips
  { name: 'zip entry inflating past its declared size', fileName: 'lying.proofdeck', make: () => lyingZip(100, 64 * MiB), expect: ['not-zip', 'zip-ratio'] },
  { name: 'zip of 20,001 entries', fileName: 'entries.proofdeck', make: () => zip(Object.fromEntries(Array.from({ length: 20_001 }, (_, i) => [`media/${i}`, new Uint8Array(0)]))), expect: ['zip-entries'] },
  { name: 'zip with a wrong CRC (stored entry)', fileName: 'crc.proofdeck', make: () => breakCrc(zipSync({ 'manifest.json': [json({ format: 'proofdeck', version: 1, deck: { name: 'x' }, media: [] }), { level: 0 }], 'notes.json': [json([note()]), { level: 0 }] }), 'notes.json'), expect: ['zip-crc'] },
  { name: 'zip with a wrong CRC (deflated collection)', fileName: 'crc.apkg', make: () => breakCrc(legacy({ notes: basic(3, () => 'q\x1fa') }), 'collection.anki2'), expect: ['zip-crc'] },
  { name: 'encrypted zip entries', fileName: 'enc.apkg', make: () => withFlag(legacy({ notes: basic(1, () => 'q\x1fa') }), 1), expect: ['zip-compression'] },
  { name: 'zip truncated before its directory', fileName: 'trunc.apkg', make: () => {
      const whole = legacy({ notes: basic(50, (i) => `q${i}\x1fa`) });
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
    expect: ['not-zip'],
  },
  { name: 'garbage after a zip signature', fileName: 'garbage.apkg', make: () => concat([text('PK\x03\x04'), new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff)]), expect: ['not-zip'] },
  // Path tricks
  { name: 'zip entry with a backslash ..', fileName: 'path.proofdeck', make: () => zipSync({ 'manifest.json': json({ format: 'proofdeck', version: 1, deck: { name: 'x' }, media: [] }), 'notes.json': json([note()]), '..\\evil.txt': text('x') }), expect: ['zip-path'] },
  { name: 'zip entry with a drive letter', fileName: 'drive.proofdeck', make: () => zipSync({ 'manifest.json': json({ format: 'proofdeck', version: 1, deck: { name: 'x' }, media: [] }), 'notes.json': json([note()]), 'C:/evil.txt': text('x') }), expect: ['zip-path'] },
  ...['../../.bashrc', 'a/b.png', 'a\\b.png', '..', 'x\u0000y.png', 'bell\u0007.png', 'n'.repeat(300)].map(
    (name): HostileCase => ({ name: `Anki media named ${JSON.stringify(name.slice(0, 20))}`, fileName: 'media.apkg', make: () => legacyApkg(ankiCollection({ notes: basic(1, () => 'q\x1fa') }) as Uint8Array, { '0': name }, { '0': text('x') }), expect: ['media-name'] }),
  ),
  { name: 'ProofDeck media named ../x', fileName: 'media.proofdeck', make: () => proofdeck([note()], [{ name: '../x.png', sha1: 'a'.repeat(40), mime: 'image/png' }], { 'media/x.png': text('x') }), expect: ['media-name'] },
  // Huge fields in every format
  { name: 'an 8 MiB CSV cell', fileName: 'cell.csv', make: () => text('q,' + 'z'.repeat(8 * MiB)), expect: ['field-too-large'] },
  { name: 'a CSV row of 1,001 columns', fileName: 'wide.csv', make: () => text(Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',')), expect: ['too-many-fields'] },
  { name: 'a 2 MiB Markdown answer', fileName: 'big.md', make: () => markdown(`## Q. big\n\nA. ${'w '.repeat(MiB)}\n`), expect: ['field-too-large'] },
  { name: 'an 11 MiB Markdown file', fileName: 'huge.md', make: () => markdown(`## Q. a\n\nA. ${'x'.repeat(11 * MiB)}\n`), expect: ['markdown-too-large'] },
  { name: 'a 2 MiB Anki field kept in a .proofdeck', fileName: 'field.proofdeck', make: () => proofdeck([note({ fields: { notetype: 'X', names: ['A'], values: [noise(2 * MiB)] } })]), expect: ['field-too-large'] },
  { name: 'a .proofdeck note of 5 MiB in translations', fileName: 'note.proofdeck', make: () => proofdeck([note({ translations: Object.fromEntries(['ko', 'ja', 'de', 'fr', 'es', 'it'].map((l) => [l, { front: noise(900_000, l.charCodeAt(0)), back: 'b', context: '' }])) })]), expect: ['note-too-large'] },
  {
    name: 'experiment params nested 5,000 deep',
    fileName: 'deep.proofdeck',
    // Written as text: JSON.stringify itself would run out of stack on it.
    make: () => zipSync({ 'manifest.json': json({ format: 'proofdeck', version: 1, deck: { name: 'x' }, media: [] }), 'notes.json': text(`[{"guid":"h-1","front":"Q","back":"A","experiment":{"id":"kv-cache-speed","params":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}}]`) }),
    expect: ['inconsistent'],
  },
  // YAML
  {
    name: 'YAML alias bomb',
    fileName: 'bomb.md',
    make: () => text(`---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n---\n## Q. q\n\nA. a\n`),
    expect: ['yaml-aliases'],
  },
  { name: 'YAML nested 20,000 deep (flow)', fileName: 'nest.md', make: () => text(`---\na: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n---\n## Q. q\n\nA. a\n`), expect: ['yaml-depth'] },
  { name: 'YAML nested 20,000 deep (block)', fileName: 'block.md', make: () => text(`---\na:\n${'- '.repeat(20_000)}x\n---\n## Q. q\n\nA. a\n`), expect: ['yaml-depth'] },
  { name: 'YAML nested 300 deep by indentation', fileName: 'indent.md', make: () => text(`---\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n---\n## Q. q\n\nA. a\n`), expect: ['yaml-depth'] },
  { name: 'front matter of 100 KiB', fileName: 'fm.md', make: () => text(`---\ntitle: ${'t'.repeat(100 * 1024)}\n---\n## Q. q\n\nA. a\n`), expect: ['front-matter-too-large'] },
  // What the byte caps let through, the worker's heap and clock stop
  // Native parsing cannot be stopped once started: the values are counted first.
  { name: 'a .proofdeck whose notes.json is 20 million empty objects', fileName: 'objects.proofdeck', make: () => objectBomb(20_000_000), expect: ['json-too-complex'] },
  // The heap limit itself, made small so it (not the clock) is what stops the parser here; the
  // bench runs the same file under the real limits.
  { name: 'a CSV of 60 million empty cells (96 MiB heap)', fileName: 'commas.csv', make: () => commaBomb(), expect: ['parse-memory'], budget: { seconds: 60, heapMiB: 96 } },
  { name: 'a slow file past a 0.5 s clock', fileName: 'slow.csv', make: () => text(Array.from({ length: 100_000 }, (_, i) => `"<b>q${i}</b> <i>x</i>","<p>a${i}</p>"`).join('\n')), expect: ['parse-timeout'], budget: { seconds: 0.5, heapMiB: 512 } },
  // Folders (the CLI's Markdown folders)
  { name: 'a folder nested 20 deep', fileName: 'deep', make: () => folder((root) => mkdirSync(join(root, ...Array.from({ length: 20 }, (_, i) => `d${i}`)), { recursive: true })), expect: ['folder-too-deep'] },
  {
    name: 'a folder with a link to a file outside it',
    fileName: 'link',
    make: () => folder((root) => {
      writeFileSync(join(root, 'a.md'), '## Q. a\n\nA. b\n');
      symlinkSync('/etc/hostname', join(root, 'b.md'));
    }),
    expect: ['folder-path'],
  },
];

/**
 * The report's own sizes, for the bench (npm run bench:hostile): heavier than the suite needs to
 * show each bound, they are what the peak-memory and refusal-time figures are measured on.
 */
export const reportCases: HostileCase[] = [
  { name: 'report: a 50 MB CSV field', fileName: 'field50.csv', make: () => text('q,' + 'z'.repeat(50 * MiB)), expect: ['field-too-large'] },
  { name: 'report: 2,000 notes × c1…c999 (Anki cloze)', fileName: 'cloze2000.apkg', make: () => legacy({ notes: basic(2000, () => clozes(999) + '\x1f', 20) }), expect: ['too-many-cards-note'] },
  { name: 'report: a stored 200 MiB value (zstd collection)', fileName: 'value200.apkg', make: () => latestApkg(bigCollection(200, 'notes')), expect: ['note-too-large'] },
  { name: 'report: 60 million empty CSV cells, real limits', fileName: 'commas.csv', make: () => commaBomb(), expect: ['parse-memory', 'parse-timeout'] },
];

/** 60,000 rows of 1,000 empty cells: 60 MB of commas that a CSV parser turns into 60 million strings. */
export const commaBomb = (): Uint8Array => text((','.repeat(999) + '\n').repeat(60_000));

/**
 * A .proofdeck whose notes.json is `count` empty objects and arrays: bytes well within every cap,
 * a heap far past the worker's. A 96 KiB random pattern repeats (beyond deflate's 32 KiB window),
 * so the zip stays under the 200:1 ratio a zip bomb shows.
 */
export function objectBomb(count: number): Uint8Array {
  const pattern = Buffer.alloc(96 * 1024);
  let seed = 7;
  for (let i = 0; i < pattern.length; i += 3) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pattern.write(seed & 0x100 ? '{},' : '[],', i, 'latin1');
  }
  const body = Buffer.alloc(1 + count * 3 + 3);
  body[0] = 0x5b;
  body.fill(pattern, 1, 1 + count * 3);
  body.write('[]]', 1 + count * 3, 'latin1');
  return zip({ 'manifest.json': json({ format: 'proofdeck', version: 1, deck: { name: 'x' }, media: [] }), 'notes.json': new Uint8Array(body) });
}

/** Kept for the bench: the raw deflate of one case's biggest entry, to report its compression. */
export const deflatedSize = (bytes: Uint8Array): number => deflateRawSync(bytes).length;

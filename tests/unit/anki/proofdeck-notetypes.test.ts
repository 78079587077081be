// A note of an Anki note type through ProofDeck → .proofdeck → ProofDeck: the file carries the
// note type (fields, templates, CSS) and the files its CSS names, the import restores it, and a
// hostile note type in a .proofdeck is refused with a clear error and changes nothing.
import type Database from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDeck, importDeckFile } from '../../../electron/services/decks/exchange';
import { notetypeKey, notetypeMediaNames } from '../../../electron/services/decks/anki/notetypes';
import { AppError } from '../../../src/shared/errors';
import { createTranslator, importErrorText } from '../../../src/shared/i18n';
import { freshDatabase, snapshot } from '../decks/support';
import { stripesSvg, typingCss, typingDeck, typingNotetype, typingPackage, typingWords } from './typing-package';

const now = Date.UTC(2026, 11, 4, 3);
const ko = createTranslator('ko');

interface Row {
  key: string;
  anki_id: number;
  name: string;
  anki_kind: number;
  fields: string;
  templates: string;
  css: string;
  extra: string | null;
}
const noteTypes = (db: Database.Database) => db.prepare('SELECT key, anki_id, name, anki_kind, fields, templates, css, extra FROM note_types ORDER BY key').all() as Row[];
const cardsByNote = (db: Database.Database) =>
  db.prepare('SELECT n.guid, group_concat(c.ord ORDER BY c.ord) AS ords FROM notes n JOIN cards c ON c.note_id = n.id GROUP BY n.id ORDER BY n.guid').all() as { guid: string; ords: string }[];

function exported(schedule = false) {
  const db = freshDatabase();
  importDeckFile(db, typingPackage(), { fileName: 'typing.apkg', now });
  const file = exportDeck(db, typingDeck, 'proofdeck', { now, includeSchedule: schedule });
  return { db, bytes: file.bytes, entries: unzipSync(file.bytes) };
}

type Json = Record<string, unknown>;
/** The exported file with its JSON parts changed. */
function edited(bytes: Uint8Array, change: (parts: { notes: Json[]; notetypes: Json[] | undefined; files: Record<string, Uint8Array> }) => void): Uint8Array {
  const files = unzipSync(bytes);
  const notes = JSON.parse(strFromU8(files['notes.json'])) as Json[];
  const original = files['notetypes.json'];
  const notetypes = original ? (JSON.parse(strFromU8(original)) as Json[]) : undefined;
  change({ notes, notetypes, files });
  files['notes.json'] = strToU8(JSON.stringify(notes));
  // Written back from the parsed list unless the change replaced or removed the entry itself.
  if (notetypes && files['notetypes.json'] === original) files['notetypes.json'] = strToU8(JSON.stringify(notetypes));
  // Stored, not deflated: a bomb below is refused for its JSON, not for its compression ratio.
  return zipSync(files, { level: 0 });
}

describe('a .proofdeck with Anki note types', () => {
  it('carries the note type and the media its CSS names, and the import restores both', () => {
    const { db, entries } = exported();
    const written = JSON.parse(strFromU8(entries['notetypes.json'])) as Json[];
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ name: typingNotetype, kind: 0, css: typingCss });
    const notes = JSON.parse(strFromU8(entries['notes.json'])) as Json[];
    expect(notes.every((note) => note.notetype === written[0].key)).toBe(true);
    // The font and the background travel though no field names them.
    expect(Object.keys(entries).filter((name) => name.startsWith('media/')).sort()).toEqual(['media/_hand.woff2', 'media/bg.svg']);
    expect(strFromU8(entries['media/bg.svg'])).toBe(stripesSvg);

    const other = freshDatabase();
    const { result } = importDeckFile(other, exportDeck(db, typingDeck, 'proofdeck', { now }).bytes, { fileName: 'typing.proofdeck', now });
    expect(result).toMatchObject({ added: 3 });
    expect(noteTypes(other)).toEqual(noteTypes(db));
    const stored = noteTypes(other)[0];
    expect(JSON.parse(stored.templates).map((t: { name: string }) => t.name)).toEqual(['Type', 'Reverse']);
    expect(other.prepare('SELECT COUNT(*) FROM notes WHERE note_type_id IS NOT NULL').pluck().get()).toBe(3);
    const values = other.prepare('SELECT fields FROM notes').pluck().all() as string[];
    expect(values.map((v) => (JSON.parse(v) as { values: string[] }).values[4]).sort()).toEqual(typingWords.map((w) => w.korean).sort());
    // Without the schedule, each note still gets a card per template, as Anki's card generation makes them.
    expect(cardsByNote(other).map((row) => row.ords)).toEqual(['0,1', '0,1', '0,1']);
    expect(other.prepare("SELECT mime FROM media WHERE name = '_hand.woff2'").pluck().get()).toBe('font/woff2');
    // Imported again: nothing changes, and still one note type.
    const before = snapshot(other);
    expect(importDeckFile(other, exportDeck(db, typingDeck, 'proofdeck', { now }).bytes, { fileName: 'typing.proofdeck', now }).result).toMatchObject({ added: 0, unchanged: 3 });
    expect(snapshot(other)).toEqual(before);
    expect(noteTypes(other)).toHaveLength(1);
  });

  it('keeps each card’s schedule when the file carries it', () => {
    const { db } = exported(true);
    db.prepare('UPDATE cards SET state = 2, stability = 9.5 WHERE ord = 1').run();
    const withSchedule = exportDeck(db, typingDeck, 'proofdeck', { now, includeSchedule: true }).bytes;
    const other = freshDatabase();
    importDeckFile(other, withSchedule, { fileName: 't.proofdeck', now });
    expect(other.prepare('SELECT DISTINCT stability FROM cards WHERE ord = 1').pluck().all()).toEqual([9.5]);
    expect(other.prepare('SELECT DISTINCT stability FROM cards WHERE ord = 0').pluck().all()).not.toContain(9.5);
  });

  it('reads files written before note types as before, and old readers’ view of new files is the Markdown one', () => {
    const { bytes } = exported();
    const old = edited(bytes, ({ notes, files }) => {
      delete files['notetypes.json'];
      for (const note of notes) delete note.notetype;
    });
    const db = freshDatabase();
    expect(importDeckFile(db, old, { fileName: 'old.proofdeck', now }).result).toMatchObject({ added: 3 });
    expect(noteTypes(db)).toEqual([]);
    expect(cardsByNote(db).map((row) => row.ords)).toEqual(['0', '0', '0']);
  });

  const refusals: { name: string; change: Parameters<typeof edited>[1]; reason: string }[] = [
    { name: 'CSS past the bound', change: ({ notetypes }) => (notetypes![0].css = 'x'.repeat(600 * 1024)), reason: 'notetype' },
    { name: 'a key that is not its content’s', change: ({ notetypes }) => (notetypes![0].css = '.card { color: red }'), reason: 'notetype' },
    {
      name: 'a changed template with a recomputed key, that the notes still name by the old one',
      change: ({ notetypes }) => {
        const nt = notetypes![0] as Parameters<typeof notetypeKey>[0] & { key: string };
        nt.templates = [{ name: 'X', front: '<script>alert(1)</script>{{english}}', back: '' }];
        nt.key = notetypeKey(nt);
      },
      reason: 'notetype',
    },
    { name: '101 templates', change: ({ notetypes }) => (notetypes![0].templates = Array.from({ length: 101 }, (_, i) => ({ name: `T${i}`, front: '{{english}}', back: '' }))), reason: 'notetype' },
    { name: 'a template that is not text', change: ({ notetypes }) => ((notetypes![0].templates as Json[])[0].front = { html: '<script>' }), reason: 'notetype' },
    { name: 'a kind Anki does not have', change: ({ notetypes }) => (notetypes![0].kind = 2), reason: 'notetype' },
    { name: 'settings past the bound', change: ({ notetypes }) => (notetypes![0].extra = { blob: 'x'.repeat(600 * 1024) }), reason: 'notetype' },
    { name: 'a note naming a note type the file lacks', change: ({ notes }) => (notes[0].notetype = 'f'.repeat(64)), reason: 'notetype' },
    { name: 'note types missing altogether', change: ({ files }) => delete files['notetypes.json'], reason: 'notetype' },
    { name: 'a note without the note type’s fields', change: ({ notes }) => ((notes[0].fields as { names: string[] }).names[0] = 'renamed'), reason: 'notetype' },
    { name: 'note types that are not JSON', change: ({ files }) => (files['notetypes.json'] = strToU8('[{"key":')), reason: 'json' },
    { name: 'a JSON bomb', change: ({ files }) => (files['notetypes.json'] = strToU8(`[${'[],'.repeat(700_000)}[]]`)), reason: 'json-too-complex' },
  ];

  for (const refusal of refusals) {
    it(`refuses ${refusal.name}, with a clear error, changing nothing`, () => {
      const { bytes } = exported();
      const db = freshDatabase();
      importDeckFile(db, typingPackage(), { fileName: 'typing.apkg', now });
      const before = { rows: snapshot(db), types: noteTypes(db) };
      let error: unknown;
      try {
        importDeckFile(db, edited(bytes, refusal.change), { fileName: 'hostile.proofdeck', now }, { default: 'take-theirs' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).params?.reason).toBe(refusal.reason);
      expect(importErrorText(ko, error)).toMatch(/[가-힣]/);
      expect(snapshot(db)).toEqual(before.rows);
      expect(noteTypes(db)).toEqual(before.types);
    });
  }

  it('ignores keys it does not know, as for notes (a later version may add some)', () => {
    const { bytes } = exported();
    const db = freshDatabase();
    importDeckFile(db, edited(bytes, ({ notetypes }) => (notetypes![0].future = { x: 1 })), { fileName: 'later.proofdeck', now });
    expect(noteTypes(db)).toHaveLength(1);
    expect(noteTypes(db)[0].extra).not.toContain('future');
  });

  it('names the note type in the message', () => {
    const { bytes } = exported();
    try {
      importDeckFile(freshDatabase(), edited(bytes, ({ notetypes }) => (notetypes![0].css = '.card { color: red }')), { fileName: 'h.proofdeck', now });
      expect.unreachable();
    } catch (e) {
      expect(importErrorText(ko, e)).toContain(`노트 유형 “${typingNotetype}”`);
      expect(importErrorText(createTranslator('en'), e)).toContain(`its note type “${typingNotetype}” cannot be used (its key does not match its content)`);
    }
  });
});

describe('the media a note type uses', () => {
  // rslib/src/text.rs `extracting`: underscored files of the CSS and of the templates.
  it('are Anki’s underscored files, plus every bare url() name of the CSS', () => {
    const css = [
      "@IMPORT '_foo.css'",
      '@import "_bar.css"',
      "@import 'nope.css'",
      'url(_foo.css)',
      'URL("_bar.css")',
      "url('nope.png')",
      "url(_foo.woff2) format('woff2')",
      'url(my%20bg.png) url(../up.png) url(https://x.example/a.png) url(#frag) url(data:image/png;base64,AAAA)',
    ].join('\n');
    const front = '<img src="_foo.jpg"><object data="_bar">"_baz.js""nope.js"<img src=_foo.jpg><object data=_bar>\'_baz.js\'[sound:_s.mp3]';
    expect([...notetypeMediaNames({ css, templates: [{ name: 'T', front, back: '' }] })].sort()).toEqual(
      ['_bar', '_bar.css', '_baz.js', '_foo.css', '_foo.jpg', '_foo.woff2', '_s.mp3', 'my bg.png', 'nope.png'].sort(),
    );
  });

  it('go to Anki with the note type in an .apkg export', () => {
    const db = freshDatabase();
    importDeckFile(db, typingPackage(), { fileName: 'typing.apkg', now });
    const files = unzipSync(exportDeck(db, typingDeck, 'apkg', { now }).bytes);
    expect(Object.values(JSON.parse(strFromU8(files.media)) as Record<string, string>).sort()).toEqual(['_hand.woff2', 'bg.svg']);
  });
});

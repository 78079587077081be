// Anki note types kept as Anki has them: the vocabulary fixture's 13 fields, template and CSS are
// stored once and its notes reference them; an export writes the note type back unchanged (its
// id, fields, templates, CSS) with the fields as they came; a re-import changes nothing. Anki's
// stock Basic and Cloze become ProofDeck notes, as before.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDeck, importDeckFile } from '../../../electron/services/decks/exchange';
import { storesFor } from '../../../electron/services/store/stores';
import { freshDatabase } from '../decks/support';
import { fixtures, readPackage } from './package';
import { decodeEntities } from '../../../src/shared/anki/html-text';

const now = Date.UTC(2026, 10, 28, 3);
const file = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

interface LegacyModel {
  id: number;
  name: string;
  type: number;
  css: string;
  sortf: number;
  flds: { name: string; ord: number }[];
  tmpls: { name: string; ord: number; qfmt: string; afmt: string }[];
}

const noteTypes = (db: Database.Database) => db.prepare('SELECT id, anki_id, name, anki_kind, fields, templates, css FROM note_types').all() as { id: number; anki_id: number; name: string; anki_kind: number; fields: string; templates: string; css: string }[];

describe('an imported note type', () => {
  const pkg = readPackage('mujing-basic_word.apkg');
  const [original] = [...pkg.notetypes.values()];

  it('is stored once with its fields, templates and CSS, and every note of it references it', () => {
    const db = freshDatabase();
    importDeckFile(db, file('mujing-basic_word.apkg'), { fileName: 'basic_word.apkg', now });
    const [stored] = noteTypes(db);
    expect(noteTypes(db)).toHaveLength(1);
    expect(stored).toMatchObject({ anki_id: original.id, name: original.name, anki_kind: 0, css: original.css });
    expect(JSON.parse(stored.fields)).toEqual(original.fields);
    expect(JSON.parse(stored.templates)).toEqual(original.templates);
    expect(db.prepare('SELECT COUNT(*) FROM notes WHERE note_type_id = ?').pluck().get(stored.id)).toBe(459);
    // Imported again: the same row, nothing changed.
    expect(importDeckFile(db, file('mujing-basic_word.apkg'), { fileName: 'basic_word.apkg', now }).result).toMatchObject({ added: 0, updated: 0, unchanged: 459 });
    expect(noteTypes(db)).toEqual([stored]);
  });

  it('goes back to Anki unchanged, under the id Anki knows it by, its notes with their fields as they came', () => {
    const db = freshDatabase();
    importDeckFile(db, file('mujing-basic_word.apkg'), { fileName: 'basic_word.apkg', now });
    const deck = db.prepare('SELECT name FROM decks').pluck().get() as string;
    const exported = exportDeck(db, deck, 'apkg', { now });
    const anki = new Database(Buffer.from(unzipSync(exported.bytes)['collection.anki2']), { readonly: true });
    const models = Object.values(JSON.parse(anki.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, LegacyModel>);
    expect(models).toHaveLength(1);
    const [model] = models;
    expect(model.id).toBe(original.id);
    expect(model.name).toBe(original.name);
    expect(model.css).toBe(original.css);
    expect(model.flds.map((f) => f.name)).toEqual(original.fields);
    expect(model.tmpls.map((t) => ({ name: t.name, front: t.qfmt, back: t.afmt }))).toEqual(original.templates);
    const rows = anki.prepare('SELECT guid, mid, flds FROM notes').all() as { guid: string; mid: number; flds: string }[];
    expect(rows).toHaveLength(459);
    const byGuid = new Map(pkg.notes.map((note) => [note.guid, note]));
    for (const row of rows) {
      expect(row.mid).toBe(original.id);
      const source = byGuid.get(row.guid)!;
      // No hidden field added; the fields as Anki had them (the sanitizer writes a bare `&` as `&amp;`: the same HTML).
      expect(row.flds.split('\x1f').map(decodeEntities)).toEqual(original.fields.map((name) => decodeEntities(source.fields.get(name)!)));
    }
    // Back into ProofDeck: the same notes, nothing to update.
    expect(importDeckFile(db, exported.bytes, { fileName: 'again.apkg', now }).result).toMatchObject({ added: 0, updated: 0, unchanged: 459 });
    expect(noteTypes(db)).toHaveLength(1);
  });

  it('is replaced when the deck comes with a changed one (new CSS), and the old one goes', () => {
    const db = freshDatabase();
    importDeckFile(db, file('mujing-basic_word.apkg'), { fileName: 'basic_word.apkg', now });
    const [before] = noteTypes(db);
    const deck = db.prepare('SELECT name FROM decks').pluck().get() as string;
    const files = unzipSync(exportDeck(db, deck, 'apkg', { now }).bytes);
    const anki = new Database(Buffer.from(files['collection.anki2']));
    const models = JSON.parse(anki.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, LegacyModel>;
    for (const model of Object.values(models)) model.css += '\n.word { color: rebeccapurple; }';
    anki.prepare('UPDATE col SET models = ?').run(JSON.stringify(models));
    files['collection.anki2'] = new Uint8Array(anki.serialize());
    anki.close();
    importDeckFile(db, zipSync(files), { fileName: 'restyled.apkg', now });
    const after = noteTypes(db);
    expect(after).toHaveLength(1);
    expect(after[0].id).not.toBe(before.id);
    expect(after[0].css).toContain('rebeccapurple');
    expect(db.prepare('SELECT COUNT(*) FROM notes WHERE note_type_id = ?').pluck().get(after[0].id)).toBe(459);
  });
});

describe('an import with a note type, undone', () => {
  it('takes the note type back with its notes, brings back the one a restyled deck replaced, and redoes both', () => {
    const db = freshDatabase();
    const { undo } = storesFor(db);
    const linked = () => db.prepare('SELECT note_type_id, COUNT(*) AS n FROM notes GROUP BY note_type_id').all();
    importDeckFile(db, file('mujing-basic_word.apkg'), { fileName: 'basic_word.apkg', now });
    const first = { types: noteTypes(db), notes: linked() };
    const deck = db.prepare('SELECT name FROM decks').pluck().get() as string;
    const files = unzipSync(exportDeck(db, deck, 'apkg', { now }).bytes);
    const anki = new Database(Buffer.from(files['collection.anki2']));
    const models = JSON.parse(anki.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, LegacyModel>;
    for (const model of Object.values(models)) model.css += '\n.word { color: rebeccapurple; }';
    anki.prepare('UPDATE col SET models = ?').run(JSON.stringify(models));
    files['collection.anki2'] = new Uint8Array(anki.serialize());
    anki.close();
    importDeckFile(db, zipSync(files), { fileName: 'restyled.apkg', now: now + 1 });
    const second = { types: noteTypes(db), notes: linked() };
    expect(second.types[0].id).not.toBe(first.types[0].id);

    expect(undo.undo()).toMatchObject({ kind: 'import' });
    expect({ types: noteTypes(db), notes: linked() }).toEqual(first);
    expect(undo.undo()).toMatchObject({ kind: 'import' });
    expect(noteTypes(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM notes').pluck().get()).toBe(0);
    undo.redo();
    expect({ types: noteTypes(db), notes: linked() }).toEqual(first);
    undo.redo();
    expect({ types: noteTypes(db), notes: linked() }).toEqual(second);
  });
});

describe('Anki’s stock note types', () => {
  it('become ProofDeck notes without a note type (Basic, Cloze: two fields, Anki’s plain look)', () => {
    const db = freshDatabase();
    for (const name of ['mujing-alphabet-word.apkg', 'anki-media.apkg', 'apkgexport-output.apkg']) importDeckFile(db, file(name), { fileName: name, now });
    expect(noteTypes(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM notes WHERE fields IS NOT NULL OR note_type_id IS NOT NULL').pluck().get()).toBe(0);
  });
});

// Note kinds through Markdown decks, ProofDeck-written cloze/reversed notes through .apkg (with and
// without the hidden ProofDeck field), and the .proofdeck version rule.
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDeck, importDeckFile } from '../../../electron/services/decks/exchange';
import { parseMarkdownDeck } from '../../../electron/services/decks/markdown/parse';
import { PROOFDECK_FIELD } from '../../../electron/services/decks/anki/proofdeck-field';
import { noteHash } from '../../../electron/services/decks/merge';
import { noteFromRow, type NoteRow } from '../../../electron/services/store/notes';
import { clozeAnkiPackage } from './cloze-anki';
import { freshDatabase } from './support';

const now = Date.UTC(2026, 10, 28);
const kinds = (db: Database.Database) => db.prepare('SELECT guid, kind FROM notes ORDER BY guid').all() as { guid: string; kind: string }[];
const ords = (db: Database.Database) =>
  db.prepare("SELECT n.guid, group_concat(c.ord, ',') AS ords FROM notes n JOIN cards c ON c.note_id = n.id GROUP BY n.id ORDER BY n.guid").all() as { guid: string; ords: string }[];

const markdownDeck = `---
title: Kinds
key: kinds
language: en
---

## Q. {{c1::Seoul}} is the capital of {{c2::Korea}}. {#capital}

A. 

## Q. der Hund {#dog kind="reversed"}

A. the dog

## Q. Why is attention $O(N^2)$? {#plain}

A. Every query meets every key.

## Q. Write {{c1::this}} literally {#literal kind="basic"}

A. as text
`;

describe('Markdown notes', () => {
  it('reads a question with {{c1::…}} as a cloze note (answer optional) and kind="reversed" as reversed', () => {
    const deck = parseMarkdownDeck(markdownDeck, { fileName: 'kinds.md' });
    expect(deck.warnings).toEqual([]);
    expect(deck.notes.map((n) => [n.id, n.kind ?? 'basic'])).toEqual([
      ['capital', 'cloze'],
      ['dog', 'reversed'],
      ['plain', 'basic'],
      ['literal', 'basic'],
    ]);
    expect(() => parseMarkdownDeck('## Q. x {#x kind="typed"}\n\nA. y\n')).toThrow(/not a note kind/);
  });

  it('imports with one card per cloze number and two for reversed, and exports the kinds back', () => {
    const db = freshDatabase();
    importDeckFile(db, new TextEncoder().encode(markdownDeck), { fileName: 'kinds.md', now });
    expect(ords(db)).toEqual([
      { guid: 'kinds:capital', ords: '0,1' },
      { guid: 'kinds:dog', ords: '0,1' },
      { guid: 'kinds:literal', ords: '0' },
      { guid: 'kinds:plain', ords: '0' },
    ]);
    const file = exportDeck(db, 'Kinds', 'md', { now });
    const text = new TextDecoder().decode(file.bytes);
    expect(text).toContain('kind="reversed"');
    expect(text).toContain('kind="basic"');
    const again = freshDatabase();
    importDeckFile(again, file.bytes, { fileName: 'kinds.md', now });
    expect(kinds(again)).toEqual(kinds(db));
    expect(ords(again)).toEqual(ords(db));
  });
});

describe('CSV', () => {
  it("makes a row whose front has {{c1::…}} a cloze note (Anki's text export of cloze notes)", () => {
    const db = freshDatabase();
    const csv = 'Text,Extra\n"{{c1::Seoul}} is in {{c2::Korea}}",note\nplain question,answer\n';
    importDeckFile(db, new TextEncoder().encode(csv), { fileName: 'rows.csv', now });
    expect(ords(db).map((r) => r.ords).sort()).toEqual(['0', '0', '0,1']);
    expect(kinds(db).map((r) => r.kind).sort()).toEqual(['basic', 'basic', 'cloze']);
  });
});

describe('ProofDeck-written cloze and reversed notes in Anki', () => {
  function deck(): Database.Database {
    const db = freshDatabase();
    importDeckFile(db, new TextEncoder().encode(markdownDeck), { fileName: 'kinds.md', now });
    return db;
  }

  it('exports a ProofDeck Cloze note type (Text, Back Extra) and a two-template reversed one', () => {
    const file = exportDeck(deck(), 'Kinds', 'apkg', { now });
    const anki = new Database(Buffer.from(unzipSync(file.bytes)['collection.anki2']), { readonly: true });
    const models = Object.values(JSON.parse(anki.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, { name: string; type: number; flds: { name: string }[]; tmpls: { qfmt: string; afmt: string }[] }>);
    const cloze = models.find((m) => m.type === 1)!;
    expect(cloze.name).toBe('ProofDeck Cloze');
    expect(cloze.flds.map((f) => f.name)).toEqual(['Text', 'Back Extra', 'Context', PROOFDECK_FIELD]);
    expect(cloze.tmpls.map((t) => t.qfmt)).toEqual(['{{cloze:Text}}']);
    const reversed = models.find((m) => m.tmpls.length === 2)!;
    expect(reversed.tmpls.map((t) => t.qfmt)).toEqual(['{{Front}}', '{{Back}}']);
    expect(reversed.tmpls[1].afmt).toContain('{{Front}}');
    const rows = anki.prepare('SELECT n.guid, group_concat(c.ord) AS ords FROM notes n JOIN cards c ON c.nid = n.id GROUP BY n.id ORDER BY n.guid').all();
    expect(rows).toEqual([
      { guid: 'kinds:capital', ords: '0,1' },
      { guid: 'kinds:dog', ords: '0,1' },
      { guid: 'kinds:literal', ords: '0' },
      { guid: 'kinds:plain', ords: '0' },
    ]);
    anki.close();
  });

  it('reads the kinds back from the note types alone once a note was edited in Anki', () => {
    const file = exportDeck(deck(), 'Kinds', 'apkg', { now });
    const files = unzipSync(file.bytes);
    const anki = new Database(Buffer.from(files['collection.anki2']));
    // An edit in Anki: the visible fields change, so the hidden ProofDeck copy no longer applies.
    for (const row of anki.prepare('SELECT id, flds FROM notes').all() as { id: number; flds: string }[]) {
      const fields = row.flds.split('\x1f');
      fields[0] = `${fields[0]} (edited)`;
      anki.prepare('UPDATE notes SET flds = ? WHERE id = ?').run(fields.join('\x1f'), row.id);
    }
    files['collection.anki2'] = new Uint8Array(anki.serialize());
    anki.close();
    const db = freshDatabase();
    importDeckFile(db, zipSync(files), { fileName: 'kinds.apkg', now });
    expect(kinds(db)).toEqual([
      { guid: 'kinds:capital', kind: 'cloze' },
      { guid: 'kinds:dog', kind: 'reversed' },
      // A basic note whose text has {{c1::…}} stays basic: its note type says so.
      { guid: 'kinds:literal', kind: 'basic' },
      { guid: 'kinds:plain', kind: 'basic' },
    ]);
    expect(ords(db).map((r) => r.ords)).toEqual(['0,1', '0,1', '0', '0']);
  });
});

describe('.proofdeck versions', () => {
  it('writes format 1 while every note is basic, so older ProofDeck builds still read it', () => {
    const db = freshDatabase();
    importDeckFile(db, new TextEncoder().encode('## Q. one {#one}\n\nA. 1\n'), { fileName: 'Plain.md', now });
    const file = exportDeck(db, 'Plain', 'proofdeck', { now });
    const files = unzipSync(file.bytes);
    expect(JSON.parse(new TextDecoder().decode(files['manifest.json'])).version).toBe(1);
    expect(new TextDecoder().decode(files['notes.json'])).not.toContain('"kind"');
  });

  it('reads a format-2 note without a kind as basic, and refuses an unknown kind', () => {
    const manifest = { format: 'proofdeck', version: 2, deck: { name: 'V2', description: '' }, includesSchedule: false, media: [] };
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const good = zipSync({ 'manifest.json': encode(manifest), 'notes.json': encode([{ guid: 'a', front: 'A', back: 'B' }, { guid: 'b', front: '{{c1::x}}', back: '', kind: 'cloze' }]) });
    const db = freshDatabase();
    importDeckFile(db, good, { fileName: 'v2.proofdeck', now });
    expect(kinds(db)).toEqual([
      { guid: 'a', kind: 'basic' },
      { guid: 'b', kind: 'cloze' },
    ]);
    const bad = zipSync({ 'manifest.json': encode(manifest), 'notes.json': encode([{ guid: 'c', front: 'C', back: 'D', kind: 'typed' }]) });
    expect(() => importDeckFile(freshDatabase(), bad, { fileName: 'bad.proofdeck', now })).toThrow(/does not match the ProofDeck format/);
  });
});

describe('notes imported before note kinds (migration 004)', () => {
  it('become cloze and reversed notes when their .apkg is imported again, keeping the cards they had', () => {
    const db = freshDatabase();
    importDeckFile(db, clozeAnkiPackage(), { fileName: 'geo.apkg', now });
    // As an older build left them: every note basic, the cloze note with its Anki cards but its
    // markers shown as text, the hash stored as that build computed it.
    db.prepare("UPDATE notes SET kind = 'basic'").run();
    db.prepare("DELETE FROM cards WHERE ord = 1 AND note_id = (SELECT id FROM notes WHERE guid = 'reversed-guid-2')").run();
    for (const row of db.prepare('SELECT * FROM notes').all() as NoteRow[]) db.prepare('UPDATE notes SET source_hash = ? WHERE id = ?').run(noteHash(noteFromRow(row)), row.id);
    const schedule = () => db.prepare('SELECT n.guid, c.ord, c.state, c.due, c.stability FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid, c.ord').all();
    const before = schedule();
    const { result } = importDeckFile(db, clozeAnkiPackage(), { fileName: 'geo.apkg', now });
    expect(result).toMatchObject({ added: 0, updated: 2, unchanged: 1, conflictsKept: 0 });
    expect(kinds(db)).toEqual([
      { guid: 'cloze-guid-1', kind: 'cloze' },
      { guid: 'optional-guid-3', kind: 'basic' },
      { guid: 'reversed-guid-2', kind: 'reversed' },
    ]);
    const after = schedule() as { guid: string; ord: number; state: number }[];
    expect(after.filter((c) => !(c.guid === 'reversed-guid-2' && c.ord === 1))).toEqual(before);
    expect(after.find((c) => c.guid === 'reversed-guid-2' && c.ord === 1)).toMatchObject({ state: 0 });
  });
});

import { zipSync } from 'fflate';
import Database from 'better-sqlite3';

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

export const manifest = (extra: Record<string, unknown> = {}) => ({ format: 'proofdeck', version: 1, deck: { name: 'Shared', description: '' }, includesSchedule: false, media: [], ...extra });
export const goodNote = (guid = 'g-1', front = 'Front', back = 'Back') => ({ guid, front, back, context: '', tags: ['x'] });

/** A .proofdeck with the given entries (JSON values are encoded; byte arrays kept). */
export function proofdeckZip(entries: Record<string, unknown>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(entries)) files[name] = value instanceof Uint8Array ? value : encode(value);
  return zipSync(files);
}

export function validProofdeck(): Uint8Array {
  return proofdeckZip({ 'manifest.json': manifest(), 'notes.json': [goodNote('g-1'), goodNote('g-2', 'Two', '<b>2</b>')] });
}

/** Renames every occurrence of one entry name (same length) in a zip's headers. */
export function renameEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error('same length only');
  const bytes = Buffer.from(zip);
  const source = Buffer.from(from);
  let index = bytes.indexOf(source);
  while (index >= 0) {
    Buffer.from(to).copy(bytes, index);
    index = bytes.indexOf(source, index + 1);
  }
  return new Uint8Array(bytes);
}

/** An Anki legacy collection with one note whose fields are `fields` (and a media map). */
export function ankiPackage(fields: string[], media: Record<string, string> = {}, extraFiles: Record<string, Uint8Array> = {}): Uint8Array {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);
    CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);
    CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer, usn integer, type integer, queue integer, due integer, ivl integer, factor integer, reps integer, lapses integer, left integer, odue integer, odid integer, flags integer, data text);
    CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer, ivl integer, lastIvl integer, factor integer, time integer, type integer);`);
  const models = { '10': { id: 10, name: 'Basic', type: 0, flds: [{ name: 'Front', ord: 0 }, { name: 'Back', ord: 1 }], tmpls: [{ name: 'Card 1', ord: 0, qfmt: '{{Front}}', afmt: '{{FrontSide}}<hr id=answer>{{Back}}' }] } };
  db.prepare("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, ?, '{}', '{}')").run(JSON.stringify(models), JSON.stringify({ '1': { id: 1, name: 'Hostile' } }));
  db.prepare("INSERT INTO notes VALUES (1, 'hostile-1', 10, 0, 0, '', ?, '', 0, 0, '')").run(fields.join('\x1f'));
  db.prepare("INSERT INTO cards VALUES (1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')").run();
  const collection = new Uint8Array(db.serialize());
  db.close();
  return zipSync({ 'collection.anki2': collection, media: encode(media), ...extraFiles });
}

export function sqliteBytes(sql: string): Uint8Array {
  const db = new Database(':memory:');
  db.exec(sql);
  const bytes = new Uint8Array(db.serialize());
  db.close();
  return bytes;
}

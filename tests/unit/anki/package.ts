// Test helper: the note types (fields, templates, CSS) and notes of an Anki package, read with the
// importer's own collection reader, so the template tests see exactly what an import sees.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { decompress } from 'fzstd';
import { openCollection, readNotetypes, type AnkiNotetype } from '../../../electron/services/decks/anki-collection';
import { protoString, readProtobuf } from '../../../electron/services/decks/anki-binary';

// From the repository root (vitest's working directory): jsdom test files have no file: import.meta.url.
export const fixtures = resolve(process.cwd(), '../shared/fixtures/anki');

export interface PackageNote {
  guid: string;
  tags: string[];
  notetype: AnkiNotetype & { css: string };
  fields: Map<string, string>;
}

export function readPackage(name: string): { notetypes: Map<number, AnkiNotetype & { css: string }>; notes: PackageNote[]; collection: string } {
  const files = unzipSync(new Uint8Array(readFileSync(join(fixtures, name))));
  const collection = ['collection.anki21b', 'collection.anki21', 'collection.anki2'].find((entry) => files[entry]);
  if (!collection) throw new Error(`${name} has no collection`);
  const bytes = collection.endsWith('b') ? decompress(files[collection]) : files[collection];
  const db = openCollection({ bytes }, name);
  try {
    const css = new Map<number, string>();
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'notetypes'").get()) {
      // NotetypeConfig (proto/anki/notetypes.proto): field 3 is the CSS.
      for (const row of db.prepare('SELECT id, config FROM notetypes').all() as { id: number; config: Buffer }[]) css.set(row.id, protoString(readProtobuf(new Uint8Array(row.config)), 3) ?? '');
    } else {
      const models = JSON.parse(db.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, { id: number; css?: string }>;
      for (const model of Object.values(models)) css.set(Number(model.id), model.css ?? '');
    }
    const notetypes = new Map([...readNotetypes(db)].map(([id, notetype]) => [id, { ...notetype, css: css.get(id) ?? '' }]));
    const notes = (db.prepare('SELECT guid, mid, tags, flds FROM notes ORDER BY id').all() as { guid: string; mid: number; tags: string; flds: string }[]).map((row) => {
      const notetype = notetypes.get(row.mid);
      if (!notetype) throw new Error(`note ${row.guid} has no note type`);
      const values = row.flds.split('\x1f');
      return { guid: row.guid, tags: row.tags.split(/\s+/).filter(Boolean), notetype, fields: new Map(notetype.fields.map((field, i) => [field, values[i] ?? ''])) };
    });
    return { notetypes, notes, collection };
  } finally {
    db.close();
  }
}

// Test helper: the note types (fields, templates, CSS) and notes of an Anki package, read with the
// importer's own collection reader, so the template tests see exactly what an import sees.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { decompress } from 'fzstd';
import { openCollection, readNotetypes, type AnkiNotetype } from '../../../electron/services/decks/anki/collection';

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
    // The reader keeps each note type's CSS (NotetypeConfig field 3, or the legacy model's `css`).
    const notetypes = readNotetypes(db);
    const notes = [...db.notes()].map((row) => {
      const notetype = notetypes.get(Number(row.mid));
      if (!notetype) throw new Error(`note ${row.guid} has no note type`);
      const values = String(row.flds).split('\x1f');
      return { guid: String(row.guid), tags: String(row.tags).split(/\s+/).filter(Boolean), notetype, fields: new Map(notetype.fields.map((field, i) => [field, values[i] ?? ''])) };
    });
    return { notetypes, notes, collection };
  } finally {
    db.close();
  }
}

import { openAnkiCollection, type AnkiCollection } from '../../store/anki/collection';
import { AppError } from '../../../../src/shared/errors';
import { importLimits, invalid } from '../limits';
import { checkJsonSize } from '../json-bounded';
import { checkCollectionSchema } from './schema';
import { protoString, protoVarint, readProtobuf } from './binary';

export interface AnkiNotetype {
  id: number;
  name: string;
  /** 0 standard, 1 cloze */
  kind: number;
  fields: string[];
  templates: { name: string; front: string; back: string }[];
  /** The note type's CSS, as Anki styles its cards with it. */
  css: string;
  /** The rest of the note type as read (legacy JSON minus the above; schema 18's sort field and LaTeX), for an export to write back. */
  extra: Record<string, unknown> | null;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** The bytes of a collection, handed over: openCollection drops them once SQLite has its copy. */
export interface CollectionSource {
  bytes: Uint8Array | null;
}

/**
 * Opens an Anki collection from its bytes (in memory, read-only: store/anki/collection.ts) and
 * checks its schema and value sizes before anything reads a row (schema.ts). The source's bytes
 * are released as soon as SQLite holds a copy, so a large collection is not held three times over.
 */
export function openCollection(source: CollectionSource, what: string): AnkiCollection {
  const bytes = source.bytes;
  if (!bytes || bytes.length < 512 || new TextDecoder('latin1').decode(bytes.subarray(0, 16)) !== SQLITE_HEADER) {
    throw invalid('not-anki', `${what} is not an SQLite database, so not an Anki collection`, { file: what });
  }
  let collection: AnkiCollection | undefined;
  try {
    collection = openAnkiCollection(bytes, () => (source.bytes = null));
    checkCollectionSchema(collection, what);
    return collection;
  } catch (e) {
    collection?.close();
    if (e instanceof AppError) throw e;
    throw invalid('not-anki', `${what} cannot be read as an Anki collection (${e instanceof Error ? e.message : String(e)})`, { file: what });
  }
}

interface LegacyModel {
  id?: number | string;
  name?: string;
  type?: number;
  flds?: { name?: string; ord?: number }[];
  tmpls?: { name?: string; ord?: number; qfmt?: string; afmt?: string }[];
  css?: string;
}

/** The most of a note type's other settings kept to write back: more is cut to the few that matter. */
const EXTRA_CHARS = 256 * 1024;

function legacyExtra(model: LegacyModel): Record<string, unknown> | null {
  const { id: _id, name: _name, type: _type, css: _css, ...rest } = model as LegacyModel & Record<string, unknown>;
  delete rest.mod;
  delete rest.usn;
  if (JSON.stringify(rest).length <= EXTRA_CHARS) return rest;
  const small: Record<string, unknown> = {};
  for (const key of ['sortf', 'latexPre', 'latexPost', 'latexsvg']) if (key in rest) small[key] = rest[key];
  return small;
}

export function parseJsonColumn(text: unknown, what: string): unknown {
  if (typeof text !== 'string' || text === '') return {};
  checkJsonSize(text, `the collection's ${what}`, importLimits.jsonValues / 10);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('not-anki', `the collection's ${what} are not valid JSON`);
  }
}

/** Note types of either schema: legacy JSON in `col.models`, or schema 18's `notetypes`/`fields`/`templates` tables. */
export function readNotetypes(db: AnkiCollection): Map<number, AnkiNotetype> {
  const result = new Map<number, AnkiNotetype>();
  if (db.hasTable('notetypes')) {
    const fields = db.fieldRows();
    const templates = db.templateRows();
    for (const row of db.notetypeRows()) {
      // NotetypeConfig (proto/anki/notetypes.proto): kind 1, sort_field_idx 2, css 3, latex_pre 5, latex_post 6, latex_svg 7.
      const config = readProtobuf(new Uint8Array(row.config));
      const extra = { sortf: protoVarint(config, 2) ?? 0, latexPre: protoString(config, 5) ?? '', latexPost: protoString(config, 6) ?? '', latexsvg: (protoVarint(config, 7) ?? 0) === 1 };
      result.set(row.id, { id: row.id, name: String(row.name), kind: protoVarint(config, 1) === 1 ? 1 : 0, fields: [], templates: [], css: protoString(config, 3) ?? '', extra });
    }
    for (const field of fields) result.get(field.ntid)?.fields.push(String(field.name));
    for (const template of templates) {
      const config = readProtobuf(new Uint8Array(template.config));
      result.get(template.ntid)?.templates.push({ name: String(template.name), front: protoString(config, 1) ?? '', back: protoString(config, 2) ?? '' });
    }
    return result;
  }
  const models = parseJsonColumn(db.col('models'), 'note types') as Record<string, LegacyModel>;
  for (const [key, model] of Object.entries(models ?? {})) {
    if (!model || typeof model !== 'object') continue;
    const id = Number(model.id ?? key);
    const fields = [...(model.flds ?? [])].sort((a, b) => (a.ord ?? 0) - (b.ord ?? 0)).map((f) => String(f.name ?? ''));
    const templates = [...(model.tmpls ?? [])]
      .sort((a, b) => (a.ord ?? 0) - (b.ord ?? 0))
      .map((t) => ({ name: String(t.name ?? ''), front: String(t.qfmt ?? ''), back: String(t.afmt ?? '') }));
    result.set(id, { id, name: String(model.name ?? 'Anki'), kind: model.type === 1 ? 1 : 0, fields, templates, css: typeof model.css === 'string' ? model.css : '', extra: legacyExtra(model) });
  }
  return result;
}

/** Deck names by id; nested decks come out as `Parent::Child`, as Anki shows them. */
export function readDeckNames(db: AnkiCollection): Map<number, string> {
  const result = new Map<number, string>();
  if (db.hasTable('decks')) {
    for (const row of db.deckRows()) {
      result.set(row.id, String(row.name).split('\x1f').join('::'));
    }
    return result;
  }
  const decks = parseJsonColumn(db.col('decks'), 'decks') as Record<string, { id?: number; name?: string }>;
  for (const [key, deck] of Object.entries(decks ?? {})) {
    if (deck && typeof deck === 'object') result.set(Number(deck.id ?? key), String(deck.name ?? 'Anki'));
  }
  return result;
}

/** Field names a template shows (`{{Front}}`, `{{#Back}}`, `{{cloze:Text}}`, `{{type:Back}}`…), in order. */
export function templateFields(template: string, fieldNames: string[]): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(/\{\{([^{}]+)\}\}/g)) {
    let name = match[1].trim();
    if (/^[#^/]/.test(name)) continue;
    name = name.split(':').pop()!.trim();
    if (fieldNames.includes(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

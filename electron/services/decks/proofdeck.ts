import { z } from 'zod';
import type Database from 'better-sqlite3';
import type { ExchangeMedia, ExchangeNote, ParsedImport } from './types';
import { decodeUtf8 } from './types';
import { describeIssues } from '../../../src/shared/contract/issues';
import { DecompressionBudget, importLimits, invalid, unsupported } from './limits';
import { ZipArchive, writeZip } from './zip';
import { checkJsonSize } from './json-bounded';
import { checkMediaName, sha1Hex } from './media';
import { readDeckForExport } from './deck-read';
import { NOTETYPES_ENTRY, newCardsOf, notetypeEntry, readNotetypes } from './proofdeck-notetypes';

/**
 * The newest format version this build reads and writes. See docs/proofdeck-format.md. Version 2
 * adds a note's `kind`; a file is written as version 1 when every note is basic, so older
 * ProofDeck builds still read it, and as version 2 otherwise, so they refuse it ("written by a
 * newer ProofDeck") instead of importing cloze and reversed notes as basic ones.
 */
export const PROOFDECK_VERSION = 2;
/** The version of a file whose notes are all basic: the layout before note kinds. */
const BASIC_ONLY_VERSION = 1;

const Card = z.object({
  ord: z.number().int().min(0).max(1000),
  due: z.number().finite(),
  stability: z.number().finite().min(0),
  difficulty: z.number().finite().min(0),
  elapsedDays: z.number().int().min(0),
  scheduledDays: z.number().int().min(0),
  learningSteps: z.number().int().min(0),
  reps: z.number().int().min(0),
  lapses: z.number().int().min(0),
  state: z.number().int().min(0).max(3),
  lastReview: z.number().finite().nullable(),
  suspended: z.boolean(),
  /** Anki's card flag (1 red … 7 purple); absent: none. Older builds drop it, nothing else changes. */
  flag: z.number().int().min(0).max(7).optional(),
});

const Review = z.object({
  ord: z.number().int().min(0).max(1000),
  id: z.number().int().positive(),
  rating: z.number().int().min(0).max(4),
  state: z.number().int().min(0).max(3),
  due: z.number().finite(),
  stability: z.number().finite(),
  difficulty: z.number().finite(),
  elapsedDays: z.number().int(),
  lastElapsedDays: z.number().int(),
  scheduledDays: z.number().int(),
  learningSteps: z.number().int(),
  durationMs: z.number().int().min(0),
});

const Side = z.object({ front: z.string(), back: z.string(), context: z.string() });

const Note = z.object({
  guid: z.string().min(1).max(200),
  front: z.string().max(1_000_000),
  back: z.string().max(1_000_000),
  context: z.string().max(1_000_000).default(''),
  language: z.string().max(35).nullable().default(null),
  translations: z.record(z.string().max(35), Side).nullable().default(null),
  tags: z.array(z.string().min(1).max(200).regex(/^\S+$/)).max(200).default([]),
  experiment: z.object({ id: z.string().min(1).max(100), params: z.record(z.string(), z.unknown()) }).nullable().default(null),
  fields: z
    .object({ notetype: z.string(), names: z.array(z.string()).max(importLimits.fieldsPerNote), values: z.array(z.string()).max(importLimits.fieldsPerNote) })
    .nullable()
    .default(null),
  kind: z.enum(['basic', 'reversed', 'cloze']).default('basic'),
  /** The key of the note type in `notetypes.json` that draws its cards (proofdeck-notetypes.ts). */
  notetype: z.string().min(1).max(100).optional(),
  cards: z.array(Card).max(100).optional(),
  reviews: z.array(Review).max(100_000).optional(),
});

const Manifest = z.object({
  format: z.literal('proofdeck'),
  version: z.number().int().positive(),
  exportedAt: z.string().optional(),
  generator: z.string().optional(),
  deck: z.object({ name: z.string().min(1).max(200), description: z.string().max(100_000).default('') }),
  includesSchedule: z.boolean().default(false),
  media: z.array(z.object({ name: z.string(), sha1: z.string().regex(/^[0-9a-f]{40}$/), mime: z.string().max(100) })).max(importLimits.entries),
});

function parseJson(bytes: Uint8Array, what: string, maxValues: number): unknown {
  const text = decodeUtf8(bytes, what);
  checkJsonSize(text, what, maxValues);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid('json', `${what} is not valid JSON (${(e as Error).message})`, { file: what });
  }
}

function schemaError(what: string, error: z.ZodError): never {
  const where = describeIssues(error, { limit: 1, root: '(root)' }) || 'unknown';
  throw invalid('schema', `${what} does not match the ProofDeck format (${where})`, { file: what, detail: where });
}

/** Reads a `.proofdeck` file (already in memory). Throws AppError on anything unexpected. */
export function readProofdeck(bytes: Uint8Array, budget = new DecompressionBudget(), now = Date.now()): ParsedImport {
  const zip = new ZipArchive(bytes, budget);
  if (!zip.has('manifest.json')) throw invalid('proofdeck-manifest', 'the file has no manifest.json: it is not a ProofDeck deck');
  const raw = parseJson(zip.read('manifest.json', importLimits.manifestBytes, 'part-too-large'), 'manifest.json', importLimits.jsonValues / 10) as { format?: unknown; version?: unknown };
  if (raw && raw.format === 'proofdeck' && typeof raw.version === 'number' && raw.version > PROOFDECK_VERSION) {
    throw unsupported('format-newer', `this deck was written by a newer ProofDeck (format ${raw.version}; this build reads up to ${PROOFDECK_VERSION})`, {
      version: raw.version,
      supported: PROOFDECK_VERSION,
    });
  }
  const manifest = Manifest.safeParse(raw);
  if (!manifest.success) schemaError('manifest.json', manifest.error);
  if (!zip.has('notes.json')) throw invalid('proofdeck-notes', 'the file has no notes.json');
  const notesRaw = z.array(Note).max(importLimits.notes).safeParse(parseJson(zip.read('notes.json', importLimits.notesJsonBytes, 'part-too-large'), 'notes.json', importLimits.jsonValues));
  if (!notesRaw.success) schemaError('notes.json', notesRaw.error);
  const guids = new Set<string>();
  const notes: ExchangeNote[] = notesRaw.data.map((note) => {
    if (guids.has(note.guid)) throw invalid('duplicate-guid', `two notes share the id '${note.guid}'`, { guid: note.guid });
    guids.add(note.guid);
    const result: ExchangeNote = {
      guid: note.guid,
      front: note.front,
      back: note.back,
      context: note.context,
      language: note.language,
      translations: note.translations,
      tags: note.tags,
      experimentId: note.experiment?.id ?? null,
      experimentParams: note.experiment?.params ?? null,
      fields: note.fields,
      kind: note.kind,
    };
    if (manifest.data.includesSchedule && note.cards) result.cards = note.cards;
    if (manifest.data.includesSchedule && note.reviews) result.reviews = note.reviews;
    if (note.notetype !== undefined) result.notetypeKey = note.notetype;
    return result;
  });
  // Optional (files before note types have none); a note that names one needs it all the same.
  const rawNotetypes = zip.has(NOTETYPES_ENTRY) ? parseJson(zip.read(NOTETYPES_ENTRY, importLimits.manifestBytes, 'part-too-large'), NOTETYPES_ENTRY, importLimits.jsonValues / 10) : [];
  const notetypes = readNotetypes(rawNotetypes, notes);
  const byKey = new Map(notetypes.map((notetype) => [notetype.key, notetype]));
  for (const note of notes) {
    const notetype = note.notetypeKey !== undefined ? byKey.get(note.notetypeKey) : undefined;
    // Without the file's schedule a note still gets every card its templates make, not only the first.
    if (notetype && (note.kind ?? 'basic') === 'basic' && !note.cards) note.cards = newCardsOf(note, notetype, now);
  }
  const media: ExchangeMedia[] = [];
  const names = new Set<string>();
  let total = 0;
  for (const entry of manifest.data.media) {
    checkMediaName(entry.name);
    if (names.has(entry.name)) throw invalid('zip-duplicate', `media '${entry.name}' is listed twice`, { entry: entry.name });
    names.add(entry.name);
    const path = `media/${entry.name}`;
    if (!zip.has(path)) throw invalid('media-missing', `media file '${entry.name}' is listed in the manifest but missing`, { name: entry.name });
    const left = importLimits.mediaBytes - total;
    const data =
      left < importLimits.mediaFileBytes ? zip.read(path, left, 'media-budget', importLimits.mediaBytes) : zip.read(path, importLimits.mediaFileBytes, 'media-too-large');
    total += data.length;
    if (sha1Hex(data) !== entry.sha1) throw invalid('media-checksum', `media file '${entry.name}' is damaged (checksum mismatch)`, { name: entry.name });
    media.push({ name: entry.name, mime: entry.mime, data });
  }
  return {
    format: 'proofdeck',
    deckName: manifest.data.deck.name,
    description: manifest.data.deck.description,
    notes,
    media,
    warnings: [],
    hasSchedule: manifest.data.includesSchedule,
    ...(notetypes.length ? { notetypes } : {}),
  };
}

export interface ExportOptions {
  includeSchedule?: boolean;
  now?: number;
}

/** Writes one deck as a `.proofdeck` file. */
export function writeProofdeck(db: Database.Database, deckName: string, options: ExportOptions = {}): Uint8Array {
  const deck = readDeckForExport(db, deckName, { schedule: options.includeSchedule ?? false });
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  const basicOnly = deck.notes.every((note) => (note.kind ?? 'basic') === 'basic');
  const manifest: z.input<typeof Manifest> = {
    format: 'proofdeck',
    version: basicOnly ? BASIC_ONLY_VERSION : PROOFDECK_VERSION,
    exportedAt: new Date(options.now ?? Date.now()).toISOString(),
    generator: 'ProofDeck',
    deck: { name: deck.name, description: deck.description },
    includesSchedule: options.includeSchedule ?? false,
    media: deck.media.map((m) => ({ name: m.name, sha1: sha1Hex(m.data), mime: m.mime })),
  };
  const notes = deck.notes.map((note) => ({
    guid: note.guid,
    front: note.front,
    back: note.back,
    context: note.context,
    language: note.language,
    translations: note.translations,
    tags: note.tags,
    experiment: note.experimentId ? { id: note.experimentId, params: note.experimentParams ?? {} } : null,
    fields: note.fields,
    ...(note.notetypeKey !== undefined ? { notetype: note.notetypeKey } : {}),
    ...(basicOnly ? {} : { kind: note.kind ?? 'basic' }),
    ...(options.includeSchedule ? { cards: note.cards ?? [], reviews: note.reviews ?? [] } : {}),
  }));
  files.set('manifest.json', encoder.encode(JSON.stringify(manifest, null, 2)));
  files.set('notes.json', encoder.encode(JSON.stringify(notes)));
  if (deck.notetypes?.length) files.set(NOTETYPES_ENTRY, encoder.encode(JSON.stringify(deck.notetypes.map(notetypeEntry))));
  for (const m of deck.media) files.set(`media/${m.name}`, m.data);
  return writeZip(files);
}

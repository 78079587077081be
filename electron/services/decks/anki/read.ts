import type { AnkiCollection } from '../../store/anki/collection';
import { AppError } from '../../../../src/shared/errors';
import type { ExchangeMedia, ExchangeNote, ExchangeNotetype, ImportWarning, ParsedImport } from '../types';
import { decodeUtf8, warn } from '../types';
import { DecompressionBudget, formatBytes, importLimits, invalid, tooLarge, utf8Bytes } from '../limits';
import { ZipArchive } from '../zip';
import { protoString, protoVarint, readProtobuf, zstdDecompress } from './binary';
import { openCollection, readDeckNames, readNotetypes, templateFields, type AnkiNotetype, type CollectionSource } from './collection';
import { mapAnkiCard, mapAnkiReviews, type AnkiCardRow, type AnkiReviewRow } from './schedule';
import { referencedMedia, sanitizeImportedHtml } from '../sanitize';
import { checkMediaName, mimeOf } from '../media';
import { NoteGate } from '../validate';
import { parseJsonBounded } from '../json-bounded';
import { PROOFDECK_FIELD, restoreProofdeckNote } from './proofdeck-field';
import { mergeEditedProofdeckNote } from './proofdeck-merge';
import { keepsNotetype, toExchangeNotetype } from './notetypes';
import { markdownSides } from './note-sides';
import { looksLikeCloze, type NoteKind } from '../../../../src/shared/cloze';
import { readCollectionConfig } from './config';
import { ankiTimingOf } from '../../../../src/shared/anki/collection-config';
import { ankiDayClock } from '../../../../src/shared/anki/day-clock';
import { minutesWestIn } from './time-zone';
import { readDeckPreset } from './deck-config';

/** Anki's latest package format (meta version 3) zstd-compresses the collection, the media map and every media file. */
function packageVersion(zip: ZipArchive): number {
  if (!zip.has('meta')) return zip.has('collection.anki21') ? 2 : 1;
  return protoVarint(readProtobuf(zip.read('meta', 64 * 1024)), 1) ?? 1;
}

/** The newest collection the package holds, decompressed within the collection's cap and the import's budget. */
function pickCollection(zip: ZipArchive, budget: DecompressionBudget): CollectionSource & { name: string } {
  const cap = { maxBytes: importLimits.collectionBytes, reason: 'collection-too-large', budget };
  if (zip.has('collection.anki21b')) {
    return { bytes: zstdDecompress(zip.read('collection.anki21b', cap.maxBytes, cap.reason), 'collection.anki21b', cap), name: 'collection.anki21b' };
  }
  for (const name of ['collection.anki21', 'collection.anki2']) {
    if (zip.has(name)) return { bytes: zip.read(name, cap.maxBytes, cap.reason), name };
  }
  throw invalid('apkg-no-collection', 'the file has no Anki collection inside (collection.anki21b, .anki21 or .anki2)');
}

/** The media map: zip entry name → media file name. */
function readMediaMap(zip: ZipArchive, version: number, budget: DecompressionBudget): Map<string, string> {
  const map = new Map<string, string>();
  if (!zip.has('media')) return map;
  const raw = zip.read('media', importLimits.mediaMapBytes, 'media-map-too-large');
  if (version >= 3) {
    // import_export.proto: MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { name = 1;
    // size = 2; sha1 = 3; legacy_zip_filename = 255 }. The zip entry of a file is its index in
    // the list (package/media.rs `SafeMediaEntry::from_entry`); field 255 is only for legacy maps.
    const entries = readProtobuf(zstdDecompress(raw, 'media', { maxBytes: importLimits.mediaMapBytes, reason: 'media-map-too-large', budget }));
    entries
      .filter((e) => e.field === 1)
      .forEach((entry, index) => {
        if (!entry.bytes) throw invalid('apkg-media-map', 'the media list of this Anki file is malformed');
        map.set(String(index), protoString(readProtobuf(entry.bytes), 1) ?? '');
      });
    return map;
  }
  let parsed: unknown;
  try {
    parsed = parseJsonBounded(decodeUtf8(raw, 'media'), 'media', importLimits.jsonValues / 10);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid('apkg-media-map', 'the media list of this Anki file is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('apkg-media-map', 'the media list of this Anki file is malformed');
  for (const [zipName, name] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof name !== 'string') throw invalid('apkg-media-map', 'the media list of this Anki file is malformed');
    map.set(zipName, name);
  }
  return map;
}

interface NoteRow {
  id: number;
  guid: string;
  mid: number;
  tags: string;
  flds: string;
}

/** A note's fields, split; each held to the field cap before any is sanitized. */
function splitFields(row: NoteRow): string[] {
  const raw = String(row.flds).split('\x1f', importLimits.fieldsPerNote + 1);
  if (raw.length > importLimits.fieldsPerNote) {
    throw tooLarge(`note ${row.id} has more than ${importLimits.fieldsPerNote} fields`, { note: String(row.guid).slice(0, 60), count: raw.length, limit: importLimits.fieldsPerNote }, 'too-many-fields');
  }
  for (const field of raw) {
    const bytes = utf8Bytes(field);
    if (bytes > importLimits.fieldBytes) {
      throw tooLarge(`a field of note ${row.id} is ${bytes} bytes`, { note: String(row.guid).slice(0, 60), size: formatBytes(bytes), limit: formatBytes(importLimits.fieldBytes) }, 'field-too-large');
    }
  }
  return raw;
}

function noteFromAnki(row: NoteRow, notetype: AnkiNotetype, warnings: ImportWarning[], kept: ExchangeNotetype | null): ExchangeNote {
  const raw = splitFields(row);
  const names = notetype.fields.length ? notetype.fields : raw.map((_, i) => `Field ${i + 1}`);
  const tags = String(row.tags).split(/\s+/).filter(Boolean);
  const guid = String(row.guid);
  // A note ProofDeck exported and nobody edited since: its Markdown comes back exactly (checked on the raw fields).
  const rawValues = names.map((_, i) => raw[i] ?? '');
  const restored = restoreProofdeckNote(names, rawValues, guid, tags);
  if (restored) return restored;
  let sanitized = false;
  const values = names.map((_, i) => {
    const result = sanitizeImportedHtml(raw[i] ?? '');
    sanitized ||= result.changed;
    return result.html;
  });
  if (sanitized) warn(warnings, 'html-sanitized', guid);
  // Edited in Anki: ProofDeck's own data merges with the edit instead of being lost.
  const merged = mergeEditedProofdeckNote(names, rawValues, values, guid, tags);
  if (merged) return merged;
  const visible = names.filter((n) => n !== PROOFDECK_FIELD);
  const valueOf = (name: string) => values[names.indexOf(name)] ?? '';
  const sides = markdownSides(notetype.templates, visible, visible.map(valueOf));
  // Two fields map onto front/back exactly (Basic, Basic and reversed, Cloze's Text/Back Extra):
  // nothing to keep aside, and an edit in ProofDeck is what an .apkg export writes.
  // (A note type kept for its look keeps its fields whatever their number: its templates draw the cards.)
  const plainBasic = !kept && (notetype.kind === 0 || notetype.kind === 1) && visible.length === 2;
  return {
    guid,
    front: sides.front,
    back: sides.back,
    context: '',
    language: null,
    translations: null,
    tags,
    experimentId: null,
    experimentParams: null,
    fields: plainBasic ? null : { notetype: notetype.name, names: visible, values: visible.map(valueOf) },
    ...(kept ? { notetypeKey: kept.key } : {}),
  };
}

/**
 * Whether a standard note type is Anki's "Basic (and reversed card)": two templates, the second
 * asking (part of) what the first answers and answering what the first asks.
 */
export function isReversedNotetype(notetype: AnkiNotetype): boolean {
  if (notetype.kind !== 0 || notetype.templates.length !== 2) return false;
  const visible = notetype.fields.filter((n) => n !== PROOFDECK_FIELD);
  const [first, second] = notetype.templates;
  const firstFront = templateFields(first.front, visible);
  const secondFront = templateFields(second.front, visible);
  const firstBack = templateFields(first.back, visible).filter((n) => !firstFront.includes(n));
  const secondBack = templateFields(second.back, visible).filter((n) => !secondFront.includes(n));
  // Extra fields (a context, notes) may sit on either answer; the two questions must not share a field.
  const within = (a: string[], b: string[]) => a.length > 0 && a.every((n) => b.includes(n));
  return within(firstFront, secondBack) && within(secondFront, firstBack) && !firstFront.some((n) => secondFront.includes(n));
}

/**
 * The ProofDeck kind of an Anki note: cloze note types (kind 1) → 'cloze'; a reversed note type
 * → 'reversed' when the note has its second card (Anki's "optional reversed" variant leaves it
 * out for notes without it); any other note type → 'basic' (every card Anki made is kept, each
 * showing the first template's sides: warned as 'notetype-templates').
 */
function kindOfAnkiNote(note: ExchangeNote, notetype: AnkiNotetype, ords: Set<number>, warnings: ImportWarning[]): NoteKind {
  if (notetype.kind === 1) {
    if (!looksLikeCloze(note.front)) warn(warnings, 'cloze-kept', note.guid);
    return 'cloze';
  }
  if (isReversedNotetype(notetype)) return ords.size === 0 || ords.has(1) ? 'reversed' : 'basic';
  // A kept note type draws each card with its own template; otherwise every card shows the first one's sides.
  if (notetype.templates.length > 1 && !note.notetypeKey) warn(warnings, 'notetype-templates', notetype.name);
  return 'basic';
}

/** Reads an Anki `.apkg` (any of the three layouts) into the common import shape. */
export function readApkg(bytes: Uint8Array, now = Date.now(), budget = new DecompressionBudget(), timeZone?: string): ParsedImport {
  const zip = new ZipArchive(bytes, budget);
  const version = packageVersion(zip);
  if (version > 3) throw invalid('apkg-newer', `this Anki package uses format ${version}, newer than ProofDeck reads`, { version });
  const collection = pickCollection(zip, budget);
  const db = openCollection(collection, collection.name);
  let deck: Omit<ParsedImport, 'media'>;
  try {
    deck = readCollection(db, now, timeZone);
  } catch (e) {
    if (e instanceof AppError) throw e;
    // A damaged page or a column of the wrong type surfaces as an SQLite or type error half-way.
    throw invalid('not-anki', `the Anki collection is damaged (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    // Closed before the media are read: the collection's copy and the media are never held together.
    db.close();
  }
  return { ...deck, media: readMedia(zip, version, deck.notes, deck.warnings, budget) };
}

/**
 * The package's day clock, as Anki reads its day numbers: the scheduler version and timing from
 * its config (`schedVer`, `rollover`, `creationOffset`) and `col.crt`, in the user's time zone
 * (Anki uses the machine's; ProofDeck's study days use `timeZone`).
 */
function collectionClock(db: AnkiCollection, timeZone: string | undefined) {
  const created = Number(db.col('crt') ?? 0);
  const timing = ankiTimingOf(Number.isFinite(created) ? created : 0, readCollectionConfig(db));
  const westAt = timeZone ? minutesWestIn(timeZone) : (ms: number) => new Date(ms).getTimezoneOffset();
  return { schedulerVersion: timing.schedulerVersion, clock: ankiDayClock(timing, westAt) };
}

function readCollection(db: AnkiCollection, now: number, timeZone?: string): Omit<ParsedImport, 'media'> {
  const warnings: ImportWarning[] = [];
  const notetypes = readNotetypes(db);
  const deckNames = readDeckNames(db);
  const { clock, schedulerVersion } = collectionClock(db, timeZone);
  const cardsByNote = new Map<number, (AnkiCardRow & { did: number })[]>();
  for (const card of db.cards() as (AnkiCardRow & { nid: number; did: number })[]) {
    const list = cardsByNote.get(card.nid) ?? [];
    list.push(card);
    cardsByNote.set(card.nid, list);
  }
  const reviewsByCard = new Map<number, AnkiReviewRow[]>();
  for (const review of db.reviews() as AnkiReviewRow[]) {
    const list = reviewsByCard.get(review.cid) ?? [];
    list.push(review);
    reviewsByCard.set(review.cid, list);
  }
  const deckVotes = new Map<number, number>();
  const notes: ExchangeNote[] = [];
  const gate = new NoteGate();
  const guids = new Set<string>();
  let hasSchedule = false;
  const keptNotetypes = new Map<number, ExchangeNotetype | null>();
  const usedNotetypes = new Map<string, ExchangeNotetype>();
  for (const row of db.notes() as IterableIterator<NoteRow>) {
    if (typeof row.flds !== 'string' || typeof row.guid !== 'string' || row.guid === '') throw invalid('not-anki', `note ${row.id} is malformed`);
    if (guids.has(row.guid)) throw invalid('duplicate-guid', `two notes share the id '${row.guid}'`, { guid: row.guid });
    guids.add(row.guid);
    const notetype = notetypes.get(Number(row.mid));
    if (!notetype) throw invalid('not-anki', `note ${row.id} uses a note type the file does not contain`);
    let kept = keptNotetypes.get(notetype.id);
    if (kept === undefined) {
      kept = keepsNotetype(notetype) ? toExchangeNotetype(notetype) : null;
      keptNotetypes.set(notetype.id, kept);
    }
    const note = noteFromAnki(row, notetype, warnings, kept);
    if (kept && note.notetypeKey === kept.key) usedNotetypes.set(kept.key, kept);
    const cards = cardsByNote.get(row.id) ?? [];
    note.cards = [];
    note.reviews = [];
    const ords = new Set<number>();
    for (const card of cards) {
      if (ords.has(card.ord)) continue; // a damaged collection; ProofDeck keeps one card per ord
      ords.add(card.ord);
      deckVotes.set(card.did, (deckVotes.get(card.did) ?? 0) + 1);
      const reviews = reviewsByCard.get(card.id) ?? [];
      const lastReview = reviews.length ? reviews[reviews.length - 1].id : null;
      note.cards.push(mapAnkiCard(card, clock, schedulerVersion, lastReview, now));
      note.reviews.push(...mapAnkiReviews(reviews, card.ord, schedulerVersion));
      if (card.type !== 0 || reviews.length) hasSchedule = true;
    }
    note.kind ??= kindOfAnkiNote(note, notetype, ords, warnings);
    if (!note.cards.length) delete note.cards;
    gate.add(note);
    notes.push(note);
  }
  const topDeck = [...deckVotes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const deckName = (topDeck !== undefined ? deckNames.get(topDeck) : undefined) ?? 'Anki';
  const preset = topDeck !== undefined ? readDeckPreset(db, topDeck) : undefined;
  return {
    format: 'apkg',
    deckName: deckName.slice(0, 200),
    description: '',
    notes,
    warnings,
    hasSchedule,
    ...(usedNotetypes.size ? { notetypes: [...usedNotetypes.values()] } : {}),
    ...(preset ? { preset } : {}),
  };
}

/**
 * The media files, one at a time: each within the per-file cap, all of them within the media
 * budget, and every byte within the import's decompression budget (a zstd frame's declared size
 * is checked before its buffer exists).
 */
function readMedia(zip: ZipArchive, version: number, notes: ExchangeNote[], warnings: ImportWarning[], budget: DecompressionBudget): ExchangeMedia[] {
  const map = readMediaMap(zip, version, budget);
  const media: ExchangeMedia[] = [];
  const names = new Set<string>();
  let total = 0;
  for (const [zipName, name] of map) {
    checkMediaName(name);
    if (names.has(name)) throw invalid('zip-duplicate', `media '${name}' is listed twice`, { entry: name });
    names.add(name);
    if (!zip.has(zipName)) throw invalid('media-missing', `media file '${name}' is listed but missing from the file`, { name });
    const left = importLimits.mediaBytes - total;
    const perFile = left < importLimits.mediaFileBytes
      ? { maxBytes: left, reason: 'media-budget', limitBytes: importLimits.mediaBytes }
      : { maxBytes: importLimits.mediaFileBytes, reason: 'media-too-large' };
    const stored = zip.read(zipName, perFile.maxBytes, perFile.reason, perFile.limitBytes);
    const data = version >= 3 ? zstdDecompress(stored, name, { ...perFile, budget }) : stored;
    total += data.length;
    media.push({ name, mime: mimeOf(name), data });
  }
  for (const note of notes) {
    for (const text of [note.front, note.back, ...(note.fields?.values ?? [])]) {
      for (const name of referencedMedia(text)) if (!names.has(name)) warn(warnings, 'media-missing', name);
    }
  }
  return media;
}

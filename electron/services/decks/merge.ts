import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { cardOrdinals, ordsRemovedByEdit } from '../../../src/shared/cloze';
import type { NoteContent, Note } from '../store/notes';
import { mediaSha1 } from '../store/media';
import { storesFor, type Stores } from '../store/stores';
import { syncNoteCards } from '../notes/note-cards';
import type { ExchangeNote, ParsedImport } from './types';
import { cardsOfNote } from './validate';
import { invalid } from './limits';

/**
 * The one way notes arrive: an import of a file the user chose and a new version of a built-in
 * deck both merge here, by guid. A note is added, updated in place (its cards keep their schedule
 * and history), left as it is, or, when both the file and the user changed it since it was last
 * imported, a conflict that keeps the user's text unless they choose the file's.
 */

/** JSON with object keys sorted, so equal values hash equally whatever order wrote them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a note's hash covers: what a user sees and edits in it. A kind left out is 'basic'. */
export type HashedNote = Omit<NoteContent, 'kind'> & { kind?: NoteContent['kind'] };

/**
 * The hash of a note's content, stored in `notes.source_hash` when it is imported. A later import
 * compares it with the note's current hash to tell "edited here since" (a conflict when the file
 * changed it too) from "untouched since" (an update). A basic note hashes as it did before note
 * kinds, and a note without Anki fields as before they were kept, so notes loaded by earlier
 * versions do not all look changed.
 */
export function noteHash(note: HashedNote): string {
  const translations = note.translations && Object.keys(note.translations).length > 0 ? note.translations : null;
  const canonical = canonicalJson([
    note.front,
    note.back,
    note.context,
    note.language ?? null,
    translations,
    note.tags,
    note.experimentId ?? null,
    note.experimentParams ?? null,
    ...(note.kind && note.kind !== 'basic' ? [note.kind] : []),
  ]);
  const base = createHash('sha256').update(canonical).digest('hex');
  if (!note.fields) return base;
  return createHash('sha256').update(base).update(JSON.stringify([note.fields.notetype, note.fields.names, note.fields.values])).digest('hex');
}

export type MergeKind = 'add' | 'update' | 'unchanged' | 'conflict';

export interface ConflictSummary {
  guid: string;
  localFront: string;
  localBack: string;
  incomingFront: string;
  incomingBack: string;
}

export interface PlanItem {
  kind: MergeKind;
  note: ExchangeNote;
  local?: Note;
  incomingHash: string;
  /** Unchanged, but edited by hand to match the file: from now on it counts as imported from it. */
  refreshHash?: boolean;
}

export interface MergePlan {
  deckName: string;
  deckExists: boolean;
  items: PlanItem[];
  /** cardsAdded: cards the import creates (added notes' cards, new cloze numbers of updated notes). */
  counts: { added: number; updated: number; unchanged: number; conflicts: number; cardsRemoved: number; cardsAdded: number };
  conflicts: ConflictSummary[];
  media: { added: number; updated: number; unchanged: number };
}

/** What to do with notes changed both locally and in the file. */
export interface ConflictChoices {
  default: 'keep-mine' | 'take-theirs';
  /** Per-note exceptions to the default. */
  takeTheirs?: string[];
  keepMine?: string[];
}

export interface ImportResult {
  deckName: string;
  added: number;
  updated: number;
  unchanged: number;
  conflictsKept: number;
  conflictsTaken: number;
  media: { added: number; updated: number; unchanged: number };
  reviews: number;
  /** Cards of updated notes that the update added or removed (cloze numbers, kind). */
  cardsAdded: number;
  cardsRemoved: number;
}

function plan(store: Stores, parsed: ParsedImport): MergePlan {
  const result: MergePlan = {
    deckName: parsed.deckName,
    deckExists: store.decks.byName(parsed.deckName) !== undefined,
    items: [],
    counts: { added: 0, updated: 0, unchanged: 0, conflicts: 0, cardsRemoved: 0, cardsAdded: 0 },
    conflicts: [],
    media: { added: 0, updated: 0, unchanged: 0 },
  };
  const guids = new Set<string>();
  for (const note of parsed.notes) {
    if (guids.has(note.guid)) throw invalid('inconsistent', `two notes share the id ${note.guid}`, { guid: note.guid });
    guids.add(note.guid);
    const incomingHash = noteHash(note);
    const local = store.notes.byGuid(note.guid);
    let kind: MergeKind;
    let refreshHash = false;
    if (!local) kind = 'add';
    else {
      const current = noteHash(local);
      if (current === incomingHash) {
        kind = 'unchanged';
        refreshHash = local.sourceHash !== incomingHash;
      } else if (local.sourceHash === current) kind = 'update';
      // The file is what was imported last time: any difference is the user's edit, kept.
      else if (local.sourceHash === incomingHash) kind = 'unchanged';
      else kind = 'conflict';
    }
    const item: PlanItem = { kind, note, local, incomingHash };
    if (refreshHash) item.refreshHash = true;
    result.items.push(item);
    if (kind === 'add') {
      result.counts.added++;
      result.counts.cardsAdded += cardsOfNote(note);
    } else if (kind === 'update') {
      result.counts.updated++;
      // Cards the update would take away with their history (a cloze number gone): said before, not only after.
      const ords = store.cards.ofNote(local!.id).map((card) => card.ord);
      result.counts.cardsRemoved += ordsRemovedByEdit(ords, { kind: note.kind ?? 'basic', front: note.front, previousKind: local!.kind }).length;
      result.counts.cardsAdded += cardOrdinals(note.kind ?? 'basic', note.front).filter((ord) => !ords.includes(ord)).length;
    } else if (kind === 'unchanged') result.counts.unchanged++;
    else {
      result.counts.conflicts++;
      if (result.conflicts.length < 500) {
        result.conflicts.push({ guid: note.guid, localFront: local!.front, localBack: local!.back, incomingFront: note.front, incomingBack: note.back });
      }
    }
  }
  for (const file of parsed.media) {
    const existing = store.media.sha1Of(file.name);
    if (existing === undefined) result.media.added++;
    else if (existing !== mediaSha1(file.data)) result.media.updated++;
    else result.media.unchanged++;
  }
  return result;
}

/** Reads the database and decides, per note, what an import would do. Writes nothing. */
export function planImport(db: Database.Database, parsed: ParsedImport): MergePlan {
  return plan(storesFor(db), parsed);
}

const content = (note: ExchangeNote): NoteContent => ({
  front: note.front,
  back: note.back,
  context: note.context,
  language: note.language,
  translations: note.translations,
  tags: note.tags,
  experimentId: note.experimentId,
  experimentParams: note.experimentParams,
  fields: note.fields,
  kind: note.kind ?? 'basic',
});

/**
 * Merges a file's notes and media into the deck `deckId`. Existing notes are updated in place, so
 * their cards, scheduling and review history stay; scheduling from the file applies only to notes
 * this merge adds, whose cards come after every new card already waiting. Call inside a transaction.
 */
export function mergeIntoDeck(store: Stores, deckId: number, parsed: ParsedImport, choices: ConflictChoices, now: number): ImportResult {
  const { items, media } = plan(store, parsed);
  const { notes, cards, revlog } = store;
  let position = cards.lastNewPosition() + 1;
  const nextPosition = () => position++;
  // Note types are stored once by content; a note of the file takes the file's (its look is the deck's, not a user edit).
  const noteTypeIds = new Map<string, number>();
  for (const { kind, ...noteType } of parsed.notetypes ?? []) noteTypeIds.set(noteType.key, store.noteTypes.save({ ...noteType, ankiKind: kind }, now));
  const takeTheirs = new Set(choices.takeTheirs ?? []);
  const keepMine = new Set(choices.keepMine ?? []);
  const result: ImportResult = {
    deckName: parsed.deckName,
    added: 0,
    updated: 0,
    unchanged: 0,
    conflictsKept: 0,
    conflictsTaken: 0,
    media,
    reviews: 0,
    cardsAdded: 0,
    cardsRemoved: 0,
  };
  for (const item of items) {
    const note = item.note;
    const noteTypeId = note.notetypeKey !== undefined ? noteTypeIds.get(note.notetypeKey) : undefined;
    if (item.local && noteTypeId !== undefined) notes.setNoteType(item.local.id, noteTypeId);
    if (item.kind === 'unchanged') {
      result.unchanged++;
      if (item.refreshHash) notes.setSourceHash(item.local!.id, item.incomingHash);
      continue;
    }
    if (item.kind === 'conflict') {
      const take = takeTheirs.has(note.guid) || (choices.default === 'take-theirs' && !keepMine.has(note.guid));
      if (!take) {
        result.conflictsKept++;
        continue;
      }
      result.conflictsTaken++;
    }
    const kind = note.kind ?? 'basic';
    if (item.kind === 'update' || item.kind === 'conflict') {
      const local = item.local!;
      notes.update(local.id, content(note), now, item.incomingHash);
      // A changed cloze number or kind adds or removes cards; the cards that stay keep their schedule.
      const sync = syncNoteCards(cards, local.id, { kind, front: note.front, previousKind: local.kind }, now, nextPosition);
      result.cardsAdded += sync.added.length;
      result.cardsRemoved += sync.removed.length;
      if (item.kind === 'update') result.updated++;
      continue;
    }
    const noteId = notes.insert({ guid: note.guid, deckId, content: content(note), sourceHash: item.incomingHash, now });
    if (noteTypeId !== undefined) notes.setNoteType(noteId, noteTypeId);
    result.added++;
    // The file's cards with their schedules, then a new card for each the note's kind makes and the file lacks.
    const wanted = new Set(cardOrdinals(kind, note.front));
    const fileCards = (note.cards ?? []).filter((card) => kind === 'basic' || wanted.has(card.ord));
    const cardIds = new Map<number, number>();
    for (const card of fileCards) {
      const schedule = {
        ord: card.ord,
        due: card.due,
        stability: card.stability,
        difficulty: card.difficulty,
        elapsed_days: card.elapsedDays,
        scheduled_days: card.scheduledDays,
        learning_steps: card.learningSteps,
        reps: card.reps,
        lapses: card.lapses,
        state: card.state,
        last_review: card.lastReview,
        suspended: card.suspended,
        flags: card.flag ?? 0,
      };
      cardIds.set(card.ord, cards.insertScheduled(noteId, schedule, nextPosition()));
    }
    if (!fileCards.length && kind === 'basic') cardIds.set(0, cards.insertNew(noteId, 0, now, nextPosition()));
    if (kind !== 'basic') syncNoteCards(cards, noteId, { kind, front: note.front, previousKind: kind }, now, nextPosition);
    for (const review of note.reviews ?? []) {
      const cardId = cardIds.get(review.ord);
      if (cardId === undefined) continue;
      revlog.insertImported({
        id: review.id,
        card_id: cardId,
        rating: review.rating,
        state: review.state,
        due: review.due,
        stability: review.stability,
        difficulty: review.difficulty,
        elapsed_days: review.elapsedDays,
        last_elapsed_days: review.lastElapsedDays,
        scheduled_days: review.scheduledDays,
        learning_steps: review.learningSteps,
        duration_ms: review.durationMs,
      });
      result.reviews++;
    }
  }
  for (const file of parsed.media) store.media.put(file);
  store.noteTypes.deleteUnused();
  return result;
}

/** How much an import wrote: a deck that gained or changed nothing is not marked as modified. */
export function wroteNotes(result: ImportResult): boolean {
  return result.added + result.updated + result.conflictsTaken > 0;
}

/**
 * Imports a file's notes into the deck of its name (created if absent). Call inside a transaction
 * that took the write lock: `applyImport`, or the undo history's operation (exchange.ts), which
 * would otherwise nest a savepoint around every row's statement journal.
 */
export function importInto(store: Stores, parsed: ParsedImport, choices: ConflictChoices, now: number): ImportResult {
  const existing = store.decks.byName(parsed.deckName);
  const deckId = existing?.id ?? store.decks.insert({ name: parsed.deckName, description: parsed.description, now });
  // A deck the import creates gets the package's options preset: the one of that name, else a new
  // one with its options. A deck that exists keeps the user's.
  if (!existing && parsed.preset) {
    const preset = store.presets.byName(parsed.preset.name) ?? store.presets.byId(store.presets.insert(parsed.preset.name, parsed.preset.config, now));
    if (preset) store.presets.assign(deckId, preset.id);
  }
  const result = mergeIntoDeck(store, deckId, parsed, choices, now);
  if (existing && wroteNotes(result)) store.decks.touch(deckId, now);
  return result;
}

/**
 * Imports a file's notes in ONE transaction: the plan and the writes see the same database, and
 * any failure (a constraint, a bug, a full disk) rolls everything back.
 */
export function applyImport(db: Database.Database, parsed: ParsedImport, choices: ConflictChoices, now = Date.now()): ImportResult {
  const store = storesFor(db);
  return store.transaction(() => importInto(store, parsed, choices, now), { immediate: true });
}

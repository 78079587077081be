import { cardOrdinals, noteKinds } from '../../../src/shared/cloze';
import type { ExchangeCard, ExchangeNote, ExchangeReview, ParsedImport } from './types';
import { PresetConfig } from '../../../src/shared/contract/presets';
import { formatBytes, importLimits, invalid, tooLarge, utf8Bytes, type ImportLimits } from './limits';
import { checkMediaName } from './media';
import { checkImportNotetypes } from './validate-notetypes';

/**
 * The last gate before the database writer: every parsed import, whatever its format, is held to
 * the same caps (docs/import-limits.md), and its shape is checked value by value. The parser
 * worker runs this before answering, so a file is refused where it was read; the process that
 * owns the database runs it again on what the worker sent, so only rows that passed here are ever
 * written, even if a parser bug let something odd through.
 */

/** The cards an added note gets (what applyImport creates): one per cloze number, two for reversed, the file's own for basic. */
export function cardsOfNote(note: Pick<ExchangeNote, 'kind' | 'front' | 'cards'>): number {
  const kind = note.kind ?? 'basic';
  if (kind === 'basic') return Math.max(1, note.cards?.length ?? 0);
  return cardOrdinals(kind, note.front).length;
}

const noteLabel = (note: { guid?: unknown }) => String(note.guid ?? '?').slice(0, 60);

function shape(condition: boolean, note: unknown, what: string): void {
  if (!condition) throw invalid('inconsistent', `note ${noteLabel(note as { guid?: unknown })}: ${what}`);
}

const isInt = (value: unknown, min: number, max: number) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const isFinite = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const isString = (value: unknown) => typeof value === 'string';

function checkCard(note: ExchangeNote, card: ExchangeCard): void {
  shape(typeof card === 'object' && card !== null, note, 'a card is not an object');
  shape(isInt(card.ord, 0, 999) && isInt(card.state, 0, 3) && typeof card.suspended === 'boolean', note, 'a card has a bad ord, state or suspension');
  for (const key of ['due', 'stability', 'difficulty', 'elapsedDays', 'scheduledDays', 'learningSteps', 'reps', 'lapses'] as const) shape(isFinite(card[key]), note, `a card's ${key} is not a number`);
  shape(card.lastReview === null || isFinite(card.lastReview), note, "a card's last review is not a time");
  shape(card.flag === undefined || isInt(card.flag, 0, 7), note, "a card's flag is not 0 to 7");
}

function checkReview(note: ExchangeNote, review: ExchangeReview): void {
  shape(typeof review === 'object' && review !== null, note, 'a review is not an object');
  shape(isInt(review.ord, 0, 999) && isInt(review.id, 1, Number.MAX_SAFE_INTEGER) && isInt(review.rating, 0, 4) && isInt(review.state, 0, 3), note, 'a review has a bad id, rating or state');
  for (const key of ['due', 'stability', 'difficulty', 'elapsedDays', 'lastElapsedDays', 'scheduledDays', 'learningSteps', 'durationMs'] as const) shape(isFinite(review[key]), note, `a review's ${key} is not a number`);
}

/** Depth and size of experiment parameters (hashing walks them recursively). */
function checkParams(note: ExchangeNote, params: Record<string, unknown>): number {
  const stack: [unknown, number][] = [[params, 0]];
  let nodes = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (++nodes > 10_000 || depth > 32) throw invalid('inconsistent', `note ${noteLabel(note)}: experiment parameters are nested too deeply`);
    if (value && typeof value === 'object') for (const item of Object.values(value)) stack.push([item, depth + 1]);
  }
  return utf8Bytes(JSON.stringify(params));
}

/** One note against the per-field and per-note caps; returns the cards it would make. */
function checkNote(note: ExchangeNote, limits: ImportLimits): number {
  shape(typeof note === 'object' && note !== null, note, 'not an object');
  shape(isString(note.guid) && note.guid.length > 0 && note.guid.length <= 200, note, 'its id is missing or longer than 200 characters');
  shape(isString(note.front) && isString(note.back) && isString(note.context), note, 'a side is not text');
  shape(note.kind === undefined || noteKinds.includes(note.kind), note, 'unknown note kind');
  shape(note.language === null || (isString(note.language) && note.language.length <= 35), note, 'bad language');
  shape(Array.isArray(note.tags) && note.tags.every((tag) => isString(tag) && tag.length > 0 && tag.length <= 200), note, 'a tag is not a word of at most 200 characters');
  if (note.tags.length > limits.tagsPerNote) throw tooLarge(`note ${noteLabel(note)} has ${note.tags.length} tags`, { note: noteLabel(note), count: note.tags.length, limit: limits.tagsPerNote }, 'too-many-tags');
  shape(note.experimentId === null || (isString(note.experimentId) && note.experimentId.length <= 100), note, 'bad experiment id');
  const texts: string[] = [note.front, note.back, note.context];
  if (note.translations !== null) {
    shape(typeof note.translations === 'object', note, 'translations are not an object');
    const entries = Object.entries(note.translations);
    if (entries.length > limits.translationsPerNote) {
      throw tooLarge(`note ${noteLabel(note)} has ${entries.length} translations`, { note: noteLabel(note), count: entries.length, limit: limits.translationsPerNote }, 'too-many-translations');
    }
    for (const [language, side] of entries) {
      shape(language.length <= 35 && typeof side === 'object' && side !== null && isString(side.front) && isString(side.back) && isString(side.context), note, 'a translation is malformed');
      texts.push(side.front, side.back, side.context);
    }
  }
  if (note.fields !== null) {
    const { notetype, names, values } = note.fields;
    shape(isString(notetype) && Array.isArray(names) && Array.isArray(values) && [...names, ...values].every(isString), note, 'Anki fields are malformed');
    if (values.length > limits.fieldsPerNote || names.length > limits.fieldsPerNote) {
      const count = Math.max(values.length, names.length);
      throw tooLarge(`note ${noteLabel(note)} has ${count} fields`, { note: noteLabel(note), count, limit: limits.fieldsPerNote }, 'too-many-fields');
    }
    texts.push(notetype, ...names, ...values);
  }
  let total = note.tags.reduce((sum, tag) => sum + tag.length, 0) + note.guid.length;
  for (const text of texts) {
    const bytes = utf8Bytes(text);
    if (bytes > limits.fieldBytes) {
      throw tooLarge(`a field of note ${noteLabel(note)} is ${bytes} bytes`, { note: noteLabel(note), size: formatBytes(bytes), limit: formatBytes(limits.fieldBytes) }, 'field-too-large');
    }
    total += bytes;
  }
  if (note.experimentParams !== null) {
    shape(typeof note.experimentParams === 'object' && !Array.isArray(note.experimentParams), note, 'experiment parameters are not an object');
    total += checkParams(note, note.experimentParams);
  }
  if (total > limits.noteBytes) {
    throw tooLarge(`note ${noteLabel(note)} holds ${total} bytes`, { note: noteLabel(note), size: formatBytes(total), limit: formatBytes(limits.noteBytes) }, 'note-too-large');
  }
  shape(note.cards === undefined || Array.isArray(note.cards), note, 'cards are not a list');
  shape(note.reviews === undefined || Array.isArray(note.reviews), note, 'reviews are not a list');
  const cards = Math.max(cardsOfNote(note), note.cards?.length ?? 0);
  if (cards > limits.cardsPerNote) {
    throw tooLarge(`note ${noteLabel(note)} would make ${cards} cards`, { note: noteLabel(note), count: cards, limit: limits.cardsPerNote }, 'too-many-cards-note');
  }
  for (const card of note.cards ?? []) checkCard(note, card);
  return cards;
}

/** What the import makes, once it passed: the preview shows cards, not only notes. */
export interface ImportSize {
  notes: number;
  cards: number;
  reviews: number;
  mediaBytes: number;
}

/**
 * Counts notes, cards and reviews as a reader produces them and refuses at the first note past a
 * cap, so a cloze explosion stops at its first note instead of after parsing every other one.
 */
export class NoteGate {
  notes = 0;
  cards = 0;
  reviews = 0;

  constructor(private readonly limits: ImportLimits = importLimits) {}

  add(note: ExchangeNote): void {
    const limits = this.limits;
    if (++this.notes > limits.notes) throw tooLarge(`the file has more than ${limits.notes} notes`, { count: this.notes, limit: limits.notes }, 'too-many-notes');
    this.cards += checkNote(note, limits);
    if (this.cards > limits.cards) throw tooLarge(`the file would make more than ${limits.cards} cards`, { count: this.cards, limit: limits.cards }, 'too-many-cards');
    for (const review of note.reviews ?? []) checkReview(note, review);
    this.reviews += note.reviews?.length ?? 0;
    if (this.reviews > limits.reviews) throw tooLarge(`the file has more than ${limits.reviews} reviews`, { count: this.reviews, limit: limits.reviews }, 'too-many-reviews');
  }
}

/** Holds a parsed import to every cap; throws `import-too-large` (naming the limit) or `import-invalid`. */
export function checkParsedImport(parsed: ParsedImport, limits: ImportLimits = importLimits): ImportSize {
  shape(typeof parsed.deckName === 'string' && parsed.deckName.length <= 200 && typeof parsed.description === 'string', { guid: '(deck)' }, 'the deck name or description is malformed');
  if (utf8Bytes(parsed.description) > limits.fieldBytes) {
    throw tooLarge(`the deck description is too long`, { note: '(deck)', size: formatBytes(utf8Bytes(parsed.description)), limit: formatBytes(limits.fieldBytes) }, 'field-too-large');
  }
  shape(Array.isArray(parsed.notes) && Array.isArray(parsed.media), { guid: '(deck)' }, 'notes or media are not lists');
  if (parsed.notes.length > limits.notes) throw tooLarge(`the file has ${parsed.notes.length} notes`, { count: parsed.notes.length, limit: limits.notes }, 'too-many-notes');
  const gate = new NoteGate(limits);
  for (const note of parsed.notes) gate.add(note);
  checkImportNotetypes(parsed, limits);
  // The options preset is written as it came (a new preset): held to the schema the app reads.
  if (parsed.preset !== undefined) {
    const preset = parsed.preset as unknown as { name?: unknown; config?: unknown };
    shape(isString(preset.name) && preset.name.trim().length > 0 && preset.name.length <= 100 && PresetConfig.safeParse(preset.config).success, { guid: '(deck)' }, "the deck's options are malformed");
  }
  if (parsed.media.length > limits.entries) throw tooLarge(`the file has ${parsed.media.length} media files`, { count: parsed.media.length, limit: limits.entries }, 'zip-entries');
  let mediaBytes = 0;
  for (const file of parsed.media) {
    shape(file.data instanceof Uint8Array && isString(file.name) && isString(file.mime) && file.mime.length <= 100, { guid: '(media)' }, 'a media file is malformed');
    checkMediaName(file.name);
    if (file.data.length > limits.mediaFileBytes) {
      throw tooLarge(`media file '${file.name}' is ${file.data.length} bytes`, { file: file.name.slice(0, 80), size: formatBytes(file.data.length), limit: formatBytes(limits.mediaFileBytes) }, 'media-too-large');
    }
    mediaBytes += file.data.length;
    if (mediaBytes > limits.mediaBytes) throw tooLarge(`the media files add up to more than ${limits.mediaBytes} bytes`, { limit: formatBytes(limits.mediaBytes) }, 'media-budget');
  }
  return { notes: gate.notes, cards: gate.cards, reviews: gate.reviews, mediaBytes };
}

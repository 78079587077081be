import type { PresetConfig } from '../../../src/shared/contract/presets';
import { invalid } from './limits';
import type { NoteKind } from '../../../src/shared/cloze';
import type { AnkiFields, Translations } from '../store/notes';

/** Scheduling of one card as it travels between collections (ProofDeck's FSRS columns). */
export interface ExchangeCard {
  ord: number;
  /** ms since epoch */
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning */
  state: number;
  lastReview: number | null;
  suspended: boolean;
  /** Buried until the next study day (exports only: an import brings cards in unburied). */
  buried?: boolean;
  /** Anki's card flag (`cards.flags & 7`): 0 none, 1 red … 7 purple. Absent: none. */
  flag?: number;
}

/** One review-log row; `ord` names the card of its note. */
export interface ExchangeReview {
  ord: number;
  /** time of the answer, ms since epoch */
  id: number;
  rating: number;
  state: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  lastElapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  durationMs: number;
}

/** Fields of a note type beyond front/back (Anki's named fields), kept so exports can restore them. */
export type NoteFields = AnkiFields;

/** A note in the common shape every importer produces and every exporter reads. */
export interface ExchangeNote {
  guid: string;
  /** Markdown (imported HTML is sanitized and kept as inline HTML) */
  front: string;
  back: string;
  context: string;
  language: string | null;
  translations: Translations | null;
  tags: string[];
  experimentId: string | null;
  experimentParams: Record<string, unknown> | null;
  fields: NoteFields | null;
  /** Which cards the note makes; absent means 'basic' (files written before note kinds). */
  kind?: NoteKind;
  /** The Anki note type that draws its cards (`ParsedImport.notetypes` / `DeckForExport.notetypes`, by key); absent for ProofDeck's own notes. */
  notetypeKey?: string;
  /** Present only when the file carries scheduling (ProofDeck with schedule, Anki with reviews). */
  cards?: ExchangeCard[];
  reviews?: ExchangeReview[];
}

/** An Anki note type as it travels: fields, card templates and CSS, kept as Anki has them. */
export interface ExchangeNotetype {
  /** Identity of its content (`notetypeKey`): the same note type in two files is the same key. */
  key: string;
  /** Its id in Anki, written back on export. */
  ankiId: number;
  name: string;
  /** Anki's model type: 0 standard, 1 cloze. */
  kind: 0 | 1;
  fields: string[];
  templates: { name: string; front: string; back: string }[];
  css: string;
  /** The rest of Anki's note type (sort field, LaTeX header…), written back as read. */
  extra: Record<string, unknown> | null;
}

export interface ExchangeMedia {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** Something the importer changed or dropped, reported to the user (never silent). */
export interface ImportWarning {
  code: 'html-sanitized' | 'media-missing' | 'media-skipped' | 'notetype-fields' | 'notetype-templates' | 'cloze-kept' | 'mermaid-source';
  count: number;
  /** A few examples (note guids or file names). */
  examples: string[];
}

/** What a reader hands to the merge: one deck's notes and media. */
export interface ParsedImport {
  format: 'proofdeck' | 'apkg' | 'csv' | 'md';
  deckName: string;
  description: string;
  notes: ExchangeNote[];
  media: ExchangeMedia[];
  warnings: ImportWarning[];
  /** Anki note types the notes reference (`ExchangeNote.notetypeKey`); absent when none does. */
  notetypes?: ExchangeNotetype[];
  /** True when the file carries scheduling to apply to newly added cards. */
  hasSchedule: boolean;
  /** The deck's options preset (an Anki package's deck options); a deck the import creates gets it. */
  preset?: { name: string; config: PresetConfig };
}

export { importLimits, invalid, tooLarge, unsupported } from './limits';

/** Adds `count` occurrences of a warning, keeping a handful of examples. */
export function warn(warnings: ImportWarning[], code: ImportWarning['code'], example: string): void {
  let entry = warnings.find((w) => w.code === code);
  if (!entry) {
    entry = { code, count: 0, examples: [] };
    warnings.push(entry);
  }
  entry.count++;
  if (entry.examples.length < 5 && !entry.examples.includes(example)) entry.examples.push(example);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding: invalid bytes are an import error, never replacement characters. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw invalid('utf8', `${what} is not valid UTF-8`, { file: what });
  }
}

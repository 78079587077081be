import { z } from 'zod';
import { method } from './define';
import { AnkiNoteView } from './anki-card';

export const NoteKindSchema = z.enum(['basic', 'reversed', 'cloze']);

export const sortColumns = ['front', 'deck', 'state', 'due', 'ivl', 'stability', 'difficulty', 'r', 'lapses', 'reps', 'created', 'flag'] as const;

export const BrowseRow = z.object({
  cardId: z.number().int(),
  noteId: z.number().int(),
  front: z.string(),
  deck: z.string(),
  tags: z.string(),
  state: z.number().int(),
  due: z.number(),
  /** Scheduled interval in days. */
  ivl: z.number(),
  stability: z.number(),
  difficulty: z.number(),
  /** FSRS probability of recall now; null for new cards. */
  r: z.number().nullable(),
  lapses: z.number().int(),
  reps: z.number().int(),
  suspended: z.boolean(),
  buried: z.boolean(),
  /** Anki's card flag: 0 none, 1 red … 7 purple. */
  flag: z.number().int().min(0).max(7).default(0),
  /** Which card of its note: c1, c2… for cloze notes, 1/2 for reversed ones; null for basic. */
  card: z.string().nullable().optional(),
});
export type BrowseRow = z.infer<typeof BrowseRow>;

/** A note's fields in another language. */
export const NoteTranslation = z.object({ front: z.string().max(200_000).optional(), back: z.string().max(200_000).optional(), context: z.string().max(200_000).optional() });
export type NoteTranslation = z.infer<typeof NoteTranslation>;

export const NoteDetail = z.object({
  noteId: z.number().int(),
  guid: z.string(),
  deckId: z.number().int(),
  front: z.string(),
  back: z.string(),
  context: z.string(),
  tags: z.array(z.string()),
  experimentId: z.string().nullable(),
  experimentParams: z.record(z.string(), z.unknown()).nullable(),
  cardIds: z.array(z.number().int()),
  kind: NoteKindSchema,
  /** The note's cards by ord (ordered like cardIds), with how often each was reviewed. */
  cards: z.array(z.object({ cardId: z.number().int(), ord: z.number().int(), reps: z.number().int() })),
  /** The language of front/back/context ('ko', 'en'), when the deck said. */
  language: z.string().nullable().default(null),
  /** The note in other languages, field by field (a field left out falls back to the original). */
  translations: z.record(z.string(), NoteTranslation).default({}),
  /** Set when the note is drawn by an Anki note type: its fields are what the editor edits. */
  anki: AnkiNoteView.nullable().optional(),
});
export type NoteDetail = z.infer<typeof NoteDetail>;

const Tag = z.string().min(1).max(100).regex(/^[^\s]+$/, 'a tag has no spaces');
const Field = z.string().max(200_000);

export const NoteInput = z.object({
  /** Absent: a new note (with one new card). */
  noteId: z.number().int().positive().optional(),
  deckId: z.number().int().positive(),
  front: Field.refine((s) => s.trim().length > 0, 'the question is empty'),
  back: Field,
  context: Field.default(''),
  tags: z.array(Tag).max(50).default([]),
  experimentId: z.string().max(64).nullable().default(null),
  experimentParams: z.record(z.string(), z.unknown()).nullable().default(null),
  /** basic: one card; reversed: front→back and back→front; cloze: one card per {{cN::…}} in the front. Absent: basic for a new note, unchanged for an edit. */
  kind: NoteKindSchema.optional(),
  /** Replaces the note's translations (by language: 'ko', 'en'); absent: kept as they are. */
  translations: z.partialRecord(z.enum(['ko', 'en']), NoteTranslation).optional(),
  /** A note of an Anki note type: its fields (HTML) by name. The note keeps its note type; front/back follow from the fields. */
  ankiFields: z.array(z.object({ name: z.string().max(1000), value: Field })).max(100).optional(),
});

export const BulkAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('suspend') }),
  z.object({ action: z.literal('unsuspend') }),
  z.object({ action: z.literal('move'), deckId: z.number().int().positive() }),
  z.object({ action: z.literal('tag'), tag: Tag }),
  z.object({ action: z.literal('untag'), tag: Tag }),
  /** Forget: back to new, schedule and counts cleared (review history kept). */
  z.object({ action: z.literal('reset') }),
  z.object({ action: z.literal('delete') }),
  /** Anki's card flag: 1 red … 7 purple; 0 clears it. */
  z.object({ action: z.literal('flag'), flag: z.number().int().min(0).max(7) }),
]);

const RetentionFigure = z.object({ passed: z.number(), total: z.number(), rate: z.number().nullable() });
export const StatsResult = z.object({
  heatmap: z.array(z.object({ dayStart: z.number(), count: z.number() })),
  forecast: z.array(z.number()),
  daily: z.array(z.object({ dayStart: z.number(), learn: z.number(), review: z.number(), relearn: z.number(), minutes: z.number() })),
  retention: z.object({ young: RetentionFigure, mature: RetentionFigure, all: RetentionFigure }),
  stability: z.array(z.object({ upper: z.number().nullable(), count: z.number() })),
  difficulty: z.array(z.object({ upper: z.number(), count: z.number() })),
  totals: z.object({ reviews: z.number(), minutes: z.number(), cards: z.number(), newCards: z.number(), learning: z.number(), review: z.number(), suspended: z.number() }),
  streak: z.number(),
});
export type StatsResult = z.infer<typeof StatsResult>;

const Evaluation = z.object({ logLoss: z.number(), rmse: z.number() });
export const OptimizeResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('too-short'), items: z.number(), needed: z.number() }),
  z.object({
    status: z.literal('fitted'),
    items: z.number(),
    cards: z.number(),
    current: Evaluation,
    fitted: Evaluation,
    /** True when the fit was better and is now in use. */
    adopted: z.boolean(),
    weights: z.array(z.number()),
    /** Cards whose due date was recomputed with the new weights. */
    rescheduled: z.number(),
  }),
]);
export type OptimizeResult = z.infer<typeof OptimizeResult>;

export const BackupInfo = z.object({ name: z.string(), createdAt: z.number(), bytes: z.number(), reason: z.string() });
export type BackupInfo = z.infer<typeof BackupInfo>;

export const libraryContract = {
  /** One page of the card browser; `query` uses the search language (deck:, tag:, is:, prop:, text). */
  'cards.search': method(
    z
      .object({
        query: z.string().max(1000).default(''),
        sort: z.enum(sortColumns).default('due'),
        descending: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        /** The UI language: a note's question is given in it where the note has a translation. */
        locale: z.enum(['ko', 'en']).optional(),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(BrowseRow), ms: z.number() }),
  ),
  /** Applies one action to many cards, in one transaction; `undo.undo` takes it back. */
  'cards.bulk': method(
    z.object({ cardIds: z.array(z.number().int().positive()).min(1).max(200_000), change: BulkAction }).strict(),
    z.object({ affected: z.number().int() }),
  ),
  'notes.get': method(z.object({ noteId: z.number().int().positive() }).strict(), NoteDetail),
  /** Creates or edits a note; an edit keeps every card's schedule and history. */
  'notes.save': method(
    NoteInput.strict(),
    z.object({
      noteId: z.number().int(),
      cardIds: z.array(z.number().int()),
      /** Ords of cards the save added (new cloze numbers, a reversed side) and removed (with their history). */
      added: z.array(z.number().int()).default([]),
      removed: z.array(z.number().int()).default([]),
    }),
  ),
  'stats.get': method(
    z.object({ heatmapDays: z.number().int().min(7).max(3660).default(365), forecastDays: z.number().int().min(1).max(365).default(30), recentDays: z.number().int().min(1).max(365).default(30) }).strict(),
    StatsResult,
  ),
  /**
   * Fits FSRS weights to the review log of one options preset's decks (Default when none is named;
   * progress events with jobId 'optimizer'); adopts them for that preset only when better.
   */
  'optimizer.run': method(z.object({ reschedule: z.boolean().default(false), presetId: z.number().int().positive().optional() }).strict(), OptimizeResult),
  'backups.list': method(z.object({}).strict(), z.object({ dir: z.string(), backups: z.array(BackupInfo) })),
  'backups.create': method(z.object({}).strict(), BackupInfo),
  /** Restores a backup by name (the current database is backed up first). */
  'backups.restore': method(z.object({ name: z.string().max(200), confirm: z.literal(true) }).strict(), z.object({ safetyBackup: z.string() })),
};

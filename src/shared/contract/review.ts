import { z } from 'zod';
import { method } from './define';
import { NoteKindSchema } from './library';
import { AnkiNoteView } from './anki-card';

export const Rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Rating = z.infer<typeof Rating>;

/** FSRS card state, numbered as ts-fsrs numbers it. */
export const CardState = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
export type CardState = z.infer<typeof CardState>;

export const QueueCounts = z.object({
  /** Learning and relearning cards due now. */
  learning: z.number().int().nonnegative(),
  /** Review cards due today, within the daily review limit. */
  review: z.number().int().nonnegative(),
  /** New cards still allowed today. */
  new: z.number().int().nonnegative(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const TodaySummary = z.object({
  counts: QueueCounts,
  /** learning + review + new: what a session started now would show. */
  dueNow: z.number().int().nonnegative(),
  reviewedToday: z.number().int().nonnegative(),
  /** Consecutive days (ending today or yesterday) with at least one review. */
  streak: z.number().int().nonnegative(),
  totalCards: z.number().int().nonnegative(),
  /** New cards not yet studied (not suspended), beyond today's limit too: what later days can introduce. */
  newLeft: z.number().int().nonnegative().default(0),
  /** Start of the current study day (ms since epoch), given the day-start hour. */
  dayStart: z.number(),
});
export type TodaySummary = z.infer<typeof TodaySummary>;

/**
 * A card as the review screen shows it. Markdown fields; the renderer sanitizes. `front`/`back`
 * are the card's own question and answer: a reversed note's second card (ord 1) arrives with
 * them swapped. A cloze card's `front` is the note's text with its `{{cN::…}}` deletions; the
 * renderer hides deletion `cloze` on the question and highlights it on the answer.
 */
export const ReviewCard = z.object({
  cardId: z.number().int(),
  noteId: z.number().int(),
  deckName: z.string(),
  kind: NoteKindSchema,
  /** Which card of the note (Anki's ord). */
  ord: z.number().int(),
  /** The cloze number this card asks (ord + 1) on a cloze note; null otherwise. */
  cloze: z.number().int().nullable(),
  front: z.string(),
  back: z.string(),
  context: z.string(),
  tags: z.array(z.string()),
  experimentId: z.string().nullable(),
  /** Params for the linked experiment, from the deck's ```prove``` block. */
  experimentParams: z.record(z.string(), z.unknown()).nullable(),
  state: CardState,
  /** Anki's card flag (0 none, 1 red … 7 purple): Ctrl+1…7 sets it, the same key again clears it. */
  flag: z.number().int().min(0).max(7).default(0),
  /** The note carries Anki's `marked` tag (`*` toggles it). */
  marked: z.boolean().default(false),
  /** Set when the note is drawn by an Anki note type: the card is its template `ord` (cloze: the first), not front/back. */
  anki: AnkiNoteView.nullable().optional(),
  /** Next interval for each grade, formatted short ('10m', '4d', '1.2mo'), keys '1'..'4'. */
  intervals: z.object({ 1: z.string(), 2: z.string(), 3: z.string(), 4: z.string() }),
  counts: QueueCounts,
});
export type ReviewCard = z.infer<typeof ReviewCard>;

export const reviewContract = {
  'review.today': method(z.object({}).strict(), TodaySummary),
  /**
   * The next card of today's queue, or null when the session is done. With `deckId`: of that
   * deck's cards only, with its counts. With `cardId`: that card, wherever it is in the queue (the
   * review screen shows an answer's card again after its undo); null when it no longer exists.
   */
  'review.next': method(
    z
      .object({
        locale: z.enum(['ko', 'en']).optional(),
        deckId: z.number().int().positive().optional(),
        cardId: z.number().int().positive().optional(),
      })
      .strict(),
    ReviewCard.nullable(),
  ),
  /** Records an answer: card state and review-log row in one transaction. Durable when it resolves. */
  'review.answer': method(
    z.object({ cardId: z.number().int().positive(), rating: Rating, durationMs: z.number().int().min(0).max(3_600_000) }).strict(),
    z.object({ counts: QueueCounts, due: z.number() }),
  ),
  'review.suspend': method(z.object({ cardId: z.number().int().positive(), suspended: z.boolean() }).strict(), z.object({ counts: QueueCounts })),
  /** Buries a card until the next study day. */
  'review.bury': method(z.object({ cardId: z.number().int().positive() }).strict(), z.object({ counts: QueueCounts })),
};

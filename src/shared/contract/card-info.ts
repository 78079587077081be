import { z } from 'zod';
import { method } from './define';

/** Anki's card flags: 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple. */
export const Flag = z.number().int().min(0).max(7);
export type Flag = z.infer<typeof Flag>;

/** The tag Anki marks a note with (`*` in review, `tag:marked` in search); compared case-insensitively, as Anki does. */
export const markedTag = 'marked';

/** True when `tags` hold Anki's `marked` tag, in any case. */
export function isMarked(tags: readonly string[]): boolean {
  return tags.some((tag) => tag.toLowerCase() === markedTag);
}

/** One answer of a card, with the memory state FSRS gives it when the card's log is replayed. */
export const CardInfoReview = z.object({
  /** When it was answered (ms since the epoch). */
  at: z.number(),
  /** 1 Again … 4 Easy; 0 a manual reschedule (imported). */
  rating: z.number().int(),
  /** The card's state before the answer (0 new, 1 learning, 2 review, 3 relearning). */
  state: z.number().int(),
  /** The interval the answer gave, in days (a fraction for a learning step). */
  intervalDays: z.number(),
  /** Time taken to answer. */
  durationMs: z.number(),
  /** Stability (days) and difficulty (1–10) after the answer, replayed with FSRS. */
  stability: z.number(),
  difficulty: z.number(),
  /** The probability of recall at the moment of the answer, before it; null for the first answer. */
  retrievability: z.number().nullable(),
});
export type CardInfoReview = z.infer<typeof CardInfoReview>;

/** Everything Anki's card info shows: the card, its memory state now, and every answer. */
export const CardInfo = z.object({
  cardId: z.number().int(),
  noteId: z.number().int(),
  deck: z.string(),
  /** The question, as Browse shows it. */
  question: z.string(),
  /** When the note was added. */
  added: z.number(),
  state: z.number().int(),
  due: z.number(),
  reps: z.number().int(),
  lapses: z.number().int(),
  flag: Flag,
  marked: z.boolean(),
  suspended: z.boolean(),
  /** The card's memory state now, as the scheduler holds it; null for a new card. */
  stability: z.number().nullable(),
  difficulty: z.number().nullable(),
  retrievability: z.number().nullable(),
  reviews: z.array(CardInfoReview),
  /** Probability of recall over time, from the first answer to a while after now (for the chart). */
  curve: z.array(z.object({ at: z.number(), r: z.number() })),
  /** The time the figures are computed at. */
  now: z.number(),
});
export type CardInfo = z.infer<typeof CardInfo>;

const CardId = z.number().int().positive();

export const cardInfoContract = {
  /** A card's info: every answer, its stability, difficulty and retrievability over time (`not-found` for an unknown card). */
  'cards.info': method(z.object({ cardId: CardId }).strict(), CardInfo),
  /** Sets the flag of cards (0 clears it), as one operation of the undo history ("Undo flag"). */
  'cards.flag': method(z.object({ cardIds: z.array(CardId).min(1).max(200_000), flag: Flag }).strict(), z.object({ affected: z.number().int() })),
  /** Marks or unmarks a note (Anki's `marked` tag), as one operation of the undo history. */
  'notes.mark': method(z.object({ noteId: z.number().int().positive(), marked: z.boolean() }).strict(), z.object({ marked: z.boolean() })),
};

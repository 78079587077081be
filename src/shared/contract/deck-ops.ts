import { z } from 'zod';
import { method } from './define';

const DeckId = z.number().int().positive();
/** A deck name as typed: parts joined by `::`. The door trims each part and refuses an empty one (`deck-name-invalid`). */
const DeckNameInput = z.string().max(1000);

/** A deck after an operation: its id and its full name. */
export const DeckRef = z.object({ deckId: z.number().int(), name: z.string() });
export type DeckRef = z.infer<typeof DeckRef>;

/**
 * Deck operations, as in Anki: each is one operation of the undo history. A name may nest
 * (`Parent::Child`); missing parents are made. Bad input (an empty name or part, a name another
 * deck has, a deck moved under itself) is refused with its own error and changes nothing.
 */
export const deckOpsContract = {
  /** A new, empty deck. */
  'decks.create': method(z.object({ name: DeckNameInput }).strict(), DeckRef),
  /** Renames a deck and its subdecks with it (`A::B` → `C::B` moves it under `C`). */
  'decks.rename': method(z.object({ deckId: DeckId, name: DeckNameInput }).strict(), DeckRef),
  /** Puts a deck, with its subdecks, under `parentId` (null: at the top), keeping its own name. */
  'decks.move': method(z.object({ deckId: DeckId, parentId: DeckId.nullable() }).strict(), DeckRef),
  /** Deletes a deck and its subdecks with their notes, cards and review history. */
  'decks.delete': method(
    z.object({ deckId: DeckId }).strict(),
    z.object({ name: z.string(), decks: z.number().int().nonnegative(), notes: z.number().int().nonnegative(), cards: z.number().int().nonnegative() }),
  ),
};

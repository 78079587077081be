import { z } from 'zod';
import { method } from './define';

export const DeckSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  notes: z.number().int().nonnegative(),
  cards: z.number().int().nonnegative(),
  due: z.number().int().nonnegative(),
  /** True for decks shipped with the app (updated by stable id on upgrade). */
  builtIn: z.boolean(),
});
export type DeckSummary = z.infer<typeof DeckSummary>;

// Owned by the deck-exchange work (issue 5): import/export methods are added here.
export const deckContract = {
  'decks.list': method(z.object({}).strict(), z.array(DeckSummary)),
};

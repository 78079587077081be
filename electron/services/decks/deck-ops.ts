import { deckLeafName, deckSeparator, inDeckSubtree, normalizeDeckName, renamedInSubtree, sameDeckName } from '../../../src/shared/deck-names';
import type { DeckRef } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import type { ServiceContext } from '../context';
import type { DeckSizes } from '../store/decks';
import { undoable } from '../undo/undo';

/**
 * Deck operations as in Anki: create, rename (which moves a deck when its parents change), move
 * and delete, each with its subdecks and each one operation of the undo history. Everything is
 * checked before the first write: a refused operation changes nothing.
 */

/** A deck name as stored, or `deck-name-invalid` (the door calls this before any handler). */
export function checkedDeckName(input: string): string {
  const result = normalizeDeckName(input);
  if ('problem' in result) throw new AppError('deck-name-invalid', `deck name '${input}' is not valid (${result.problem})`, { name: input, problem: result.problem });
  return result.name;
}

function deckOf(ctx: ServiceContext, deckId: number) {
  const deck = ctx.store.decks.byId(deckId);
  if (!deck) throw new AppError('not-found', `deck ${deckId} does not exist`, { deckId });
  return deck;
}

/** Refuses a name that a deck outside `moving` (the ids being renamed) already has, without case. */
function refuseTaken(ctx: ServiceContext, names: readonly string[], moving: ReadonlySet<number> = new Set()): void {
  const others = ctx.store.decks.names().filter((deck) => !moving.has(deck.id));
  for (const name of names) {
    const taken = others.find((deck) => sameDeckName(deck.name, name));
    if (taken) throw new AppError('deck-exists', `a deck named '${taken.name}' exists`, { name: taken.name });
  }
}

/**
 * `name` with its parents spelled as the decks that exist (`vocab::X` under an existing `Vocab`
 * is `Vocab::X`), so a deck is never made beside one that differs only in case. Decks in
 * `moving` do not count.
 */
function withExistingParents(ctx: ServiceContext, name: string, moving: ReadonlySet<number> = new Set()): string {
  const decks = ctx.store.decks.names().filter((deck) => !moving.has(deck.id));
  const parts = name.split(deckSeparator);
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join(deckSeparator);
    const existing = decks.find((deck) => sameDeckName(deck.name, prefix));
    if (existing) parts.splice(0, i, ...existing.name.split(deckSeparator));
  }
  return parts.join(deckSeparator);
}

export function createDeck(ctx: ServiceContext, input: string): DeckRef {
  const name = withExistingParents(ctx, input);
  return undoable(
    ctx,
    'create-deck',
    () => {
      refuseTaken(ctx, [name]);
      // The parents it lacks are made with it (store/decks.ts), in the same operation.
      return { deckId: ctx.store.decks.insert({ name, description: '', now: ctx.now() }), name };
    },
    { count: 0, name },
  );
}

/** Renames the deck `deckId` to `input` and its subdecks with it; the parents the new name lacks are made. */
export function renameDeck(ctx: ServiceContext, deckId: number, input: string, kind: 'rename-deck' | 'move-deck' = 'rename-deck'): DeckRef {
  return undoable(
    ctx,
    kind,
    () => {
      const deck = deckOf(ctx, deckId);
      const subtree = ctx.store.decks.subtree(deckId);
      const moving = new Set(subtree.map((d) => d.id));
      const name = withExistingParents(ctx, input, moving);
      if (deck.name === name) return { deckId, name };
      if (inDeckSubtree(name, deck.name) && name !== deck.name) {
        throw new AppError('deck-into-itself', `'${deck.name}' cannot go under itself`, { name: deck.name, parent: name.slice(0, name.lastIndexOf(deckSeparator)) });
      }
      const renamed = subtree.map((d) => ({ id: d.id, name: renamedInSubtree(d.name, deck.name, name) }));
      refuseTaken(
        ctx,
        renamed.map((d) => d.name),
        moving,
      );
      const now = ctx.now();
      // Out of the way first: a subdeck's new name may be another's old one ('A::A' renamed to 'A').
      for (const d of renamed) ctx.store.decks.rename(d.id, `\u0000${d.id}`, now);
      for (const d of renamed) ctx.store.decks.rename(d.id, d.name, now);
      // The new parents, where missing (the deck itself is renamed in place: it keeps its id and cards).
      const parent = name.includes(deckSeparator) ? name.slice(0, name.lastIndexOf(deckSeparator)) : null;
      if (parent !== null && !ctx.store.decks.byName(parent)) ctx.store.decks.insert({ name: parent, description: '', now });
      return { deckId, name };
    },
    (result) => ({ count: 0, name: result.name }),
  );
}

/** Puts the deck `deckId` (with its subdecks) under `parentId`, or at the top when null. */
export function moveDeck(ctx: ServiceContext, deckId: number, parentId: number | null): DeckRef {
  const deck = deckOf(ctx, deckId);
  const parent = parentId === null ? null : deckOf(ctx, parentId);
  if (parent && inDeckSubtree(parent.name, deck.name)) {
    throw new AppError('deck-into-itself', `'${deck.name}' cannot go under '${parent.name}'`, { name: deck.name, parent: parent.name });
  }
  const leaf = deckLeafName(deck.name);
  return renameDeck(ctx, deckId, parent ? parent.name + deckSeparator + leaf : leaf, 'move-deck');
}

/** Deletes the deck `deckId` and its subdecks, with their notes, cards and review history. */
export function deleteDeck(ctx: ServiceContext, deckId: number): { name: string; decks: number; notes: number; cards: number } {
  const deck = deckOf(ctx, deckId);
  const size = ctx.store.decks.subtreeSize(deckId);
  return undoable(
    ctx,
    'delete-deck',
    () => {
      const ids = ctx.store.decks.subtree(deckId).map((d) => d.id);
      return { name: deck.name, decks: ctx.store.decks.delete(ids), ...size };
    },
    { count: size.cards, name: deck.name },
  );
}

/**
 * Each deck's counts with its subdecks', as Anki's deck list shows them: the sizes and the raw
 * New / Learn / Due of the deck and every deck below it, summed (the daily limits are applied
 * after, to the sum).
 */
export function withSubdecks(rows: readonly DeckSizes[]): DeckSizes[] {
  return rows.map((row) => {
    const sum = { ...row, new: row.new ?? 0, learning: row.learning ?? 0, review: row.review ?? 0 };
    const prefix = row.name + deckSeparator;
    for (const sub of rows) {
      if (!sub.name.startsWith(prefix)) continue;
      sum.notes += sub.notes;
      sum.cards += sub.cards;
      sum.new += sub.new ?? 0;
      sum.learning += sub.learning ?? 0;
      sum.review += sub.review ?? 0;
    }
    return sum;
  });
}

import type { ExchangeNote, ParsedImport } from '../types';
import type { ParsedDeck, ParsedNote } from './parse';

/** A Markdown note in the common shape every importer produces. */
export function exchangeNote(note: ParsedNote): ExchangeNote {
  return {
    guid: note.guid,
    front: note.front,
    back: note.back,
    context: note.context,
    language: note.language,
    translations: Object.keys(note.translations).length ? note.translations : null,
    tags: note.tags,
    experimentId: note.experiment?.id ?? null,
    experimentParams: note.experiment?.params ?? null,
    fields: null,
    ...(note.kind ? { kind: note.kind } : {}),
  };
}

/** A Markdown deck as an import of the deck named `deckName` (its title, else its key). */
export function markdownImport(deck: ParsedDeck, deckName = deck.meta.title || deck.meta.key): ParsedImport {
  return { format: 'md', deckName, description: deck.meta.description, notes: deck.notes.map(exchangeNote), media: [], warnings: [], hasSchedule: false };
}

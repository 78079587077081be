import type { ExchangeNote } from '../types';
import { ANKI_CLOZE_BREAK, writeAnkiClozes } from '../../../../src/shared/anki/cloze-writer';

/** Whatever Anki's cloze tokenizer would take for an opening (cloze.rs `open_cloze`). */
const ankiOpening = /\{\{c(?=[0-9,]*[0-9][0-9,]*::)/g;

/**
 * The visible fields of a ProofDeck note as an .apkg carries them, each rendered by `render`
 * (Markdown → HTML): Front, Back, Context (Text, Back Extra, Context on a cloze note). On a
 * cloze note the Text's deletions are written so Anki's parser reads what ProofDeck means
 * (`writeAnkiClozes`), and an opening in another field, which ProofDeck never reads as a
 * deletion, is broken so Anki does not make a card of it either.
 */
export function ownNoteFields(note: ExchangeNote, render: (markdown: string) => string): string[] {
  const front = render(note.front);
  const back = render(note.back);
  const context = note.context ? render(note.context) : '';
  if ((note.kind ?? 'basic') !== 'cloze') return [front, back, context];
  const inert = (html: string) => html.replace(ankiOpening, `{${ANKI_CLOZE_BREAK}{c`);
  return [writeAnkiClozes(front), inert(back), inert(context)];
}

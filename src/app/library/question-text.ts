import { findClozes } from '../../shared/cloze';

/**
 * A card's question as one line of text for the browser's table: a cloze card shows its own
 * deletion as `[…]` (or `[hint]`) and the others as their text, as the review does, never the raw
 * `{{c2::…}}` markup; whitespace is collapsed.
 */
export function questionText(front: string, card: string | null | undefined): string {
  const asked = card && /^c\d+$/.test(card) ? Number(card.slice(1)) : null;
  const clozes = findClozes(front);
  let text = '';
  let at = 0;
  for (const deletion of clozes) {
    if (deletion.start < at) continue;
    text += front.slice(at, deletion.start);
    text += deletion.number === asked ? `[${deletion.hint?.trim() || '…'}]` : deletion.content;
    at = deletion.end;
  }
  text += front.slice(at);
  return text.replace(/\s+/g, ' ').trim();
}

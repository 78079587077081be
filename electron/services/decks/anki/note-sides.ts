import { templateFields } from './collection';
import { htmlToMarkdown } from '../html-markdown';

/**
 * A note of an Anki note type as ProofDeck's front and back (Markdown): the fields its first
 * template shows on the question, then the other fields its answer shows (or, failing that, the
 * first field and the rest). Search, the card browser and the question text read these; a note
 * whose note type is kept is still drawn by its templates.
 */
export function markdownSides(templates: readonly { front: string; back: string }[], names: string[], values: string[]): { front: string; back: string } {
  const template = templates[0];
  let frontNames = template ? templateFields(template.front, names) : [];
  if (frontNames.length === 0) frontNames = names.slice(0, 1);
  let backNames = template ? templateFields(template.back, names).filter((n) => !frontNames.includes(n)) : [];
  if (backNames.length === 0) backNames = names.filter((n) => !frontNames.includes(n));
  const valueOf = (name: string) => values[names.indexOf(name)] ?? '';
  const join = (list: string[]) => list.map((name) => htmlToMarkdown(valueOf(name))).filter((v) => v !== '').join('\n\n');
  return { front: join(frontNames), back: join(backNames) };
}

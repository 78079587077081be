import type { ExchangeNote } from '../types';
import { fieldFingerprint, PROOFDECK_FIELD, readCarried } from './proofdeck-field';
import { htmlToMarkdown } from '../html-markdown';
import { toNoteKind } from '../../../../src/shared/cloze';

/**
 * A ProofDeck note that was edited in Anki and comes back. Anki shows only its HTML fields; what
 * ProofDeck keeps besides them (the experiment link, translations, language, kind) travels in the
 * hidden ProofDeck field, which Anki leaves alone. So the note is the carried one, merged with the
 * edit: a field whose HTML is what ProofDeck exported keeps its Markdown exactly; an edited field
 * comes back as Markdown of the edited HTML. The fields keep their places: Front, Back, Context
 * (Text, Back Extra, Context on a cloze note), so the context is never folded into the answer.
 *
 * `raw` are the fields as stored in the package (to compare with the export), `sanitized` the same
 * after the importer's sanitizer (to convert). Null when the note carries no ProofDeck field, or
 * one of a note with Anki fields of its own (those come back through their note type).
 */
export function mergeEditedProofdeckNote(names: string[], raw: string[], sanitized: string[], guid: string, tags: string[]): ExchangeNote | null {
  const carried = readCarried(names, raw);
  if (!carried || carried.fields) return null;
  const visible = names.map((_, i) => i).filter((i) => names[i] !== PROOFDECK_FIELD);
  if (visible.length !== 3) return null;
  const side = (position: number, markdown: string) => {
    const index = visible[position];
    const untouched = carried.fieldHtml?.[position] !== undefined && carried.fieldHtml[position] === fieldFingerprint(raw[index] ?? '');
    return untouched ? markdown : htmlToMarkdown(sanitized[index] ?? '');
  };
  return {
    guid,
    front: side(0, carried.front),
    back: side(1, carried.back),
    context: side(2, carried.context),
    language: typeof carried.language === 'string' ? carried.language : null,
    translations: carried.translations && typeof carried.translations === 'object' ? carried.translations : null,
    tags,
    experimentId: typeof carried.experimentId === 'string' ? carried.experimentId : null,
    experimentParams: carried.experimentParams && typeof carried.experimentParams === 'object' ? carried.experimentParams : null,
    fields: null,
    ...(carried.kind !== undefined ? { kind: toNoteKind(carried.kind) } : {}),
  };
}

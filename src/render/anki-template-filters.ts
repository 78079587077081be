import { clozeFilter, revealClozeTextOnly } from '../shared/anki/cloze-parser';
import { encodeMinimal, stripHtml } from '../shared/anki/html-text';

/**
 * The field filters of Anki templates, as rslib/src/template_filters.rs applies them. `{{type:…}}`
 * leaves a marker that the renderer turns into an input (question) or the expected answer
 * (answer), as Anki's reviewer does with its `[[type:…]]` marker.
 */

/** What `{{type:Field}}` asks: the field, and whether it is a cloze (`type:cloze:`) or compared without combining marks (`type:nc:`). */
export interface TypeAnswerRequest {
  field: string;
  mode: 'plain' | 'cloze' | 'nc';
}

export interface FilterContext {
  /** The card's ordinal: its template's index, or its cloze number − 1. */
  ord: number;
  /** True while rendering the question (Anki: no FrontSide yet). */
  question: boolean;
  /** Records a type-answer request and returns the marker that stands for it in the output. */
  typeAnswer(request: TypeAnswerRequest): string;
}

/** template_filters.rs `FURIGANA`: `kanji[reading]`, with an optional space before. */
const FURIGANA = / ?([^ >]+?)\[(.+?)\]/g;

function ruby(text: string, part: 'kanji' | 'kana' | 'furigana'): string {
  return text.replace(/&nbsp;/g, ' ').replace(FURIGANA, (whole, base: string, reading: string) => {
    // A sound tag ([sound:x.mp3]) is not a reading.
    if (reading.startsWith('sound:')) return whole;
    if (part === 'kanji') return base;
    if (part === 'kana') return reading;
    return `<ruby><rb>${base}</rb><rt>${reading}</rt></ruby>`;
  });
}

/**
 * A native disclosure instead of Anki's `<a onclick>` (no script runs on a card): the field's name
 * as the label, its content revealed on click, with Anki's `hint` class for the deck's CSS.
 */
function hint(text: string, field: string): string {
  if (text.trim() === '') return text;
  return `<details class="hint"><summary class="hint">${encodeMinimal(field)}</summary><div class="hint">${text}</div></details>`;
}

/**
 * template_filters.rs `apply_filters` + `apply_filter`. Anki's complete renderer ignores a filter
 * it does not know (desktop Anki hands it to add-ons, which without one also leave the text as
 * it is), so an unknown filter passes the text through and the others still apply.
 */
export function applyFilters(text: string, filters: string[], field: string, context: FilterContext): string {
  let names = filters;
  if (filters.length === 2 && filters[0] === 'cloze' && filters[1] === 'type') names = ['type-cloze'];
  else if (filters.length === 2 && filters[0] === 'nc' && filters[1] === 'type') names = ['type-nc'];
  else if (filters[filters.length - 1] === 'type') names = ['type'];
  let output = text;
  for (const name of names) {
    switch (name) {
      case 'text':
        output = stripHtml(output);
        break;
      case 'furigana':
      case 'kanji':
      case 'kana':
        output = ruby(output, name);
        break;
      case 'type':
        output = context.typeAnswer({ field, mode: 'plain' });
        break;
      case 'type-cloze':
        output = context.typeAnswer({ field, mode: 'cloze' });
        break;
      case 'type-nc':
        output = context.typeAnswer({ field, mode: 'nc' });
        break;
      case 'hint':
        output = hint(output, field);
        break;
      case 'cloze':
        output = clozeFilter(output, context.ord + 1, context.question);
        break;
      case 'cloze-only':
        output = revealClozeTextOnly(output, context.ord + 1, context.question);
        break;
      default:
        // `tts` speaks the text in Anki and shows nothing; ProofDeck does not speak, so it shows nothing.
        if (name.startsWith('tts ')) output = '';
    }
  }
  return output;
}

import { ankiClozeNumbers, extractClozeForTyping } from '../shared/anki/cloze-parser';
import { encodeMinimal, fieldIsEmpty } from '../shared/anki/html-text';
import { isClozeConditional, rendersWithFields, type CompiledTemplate, type ParsedTemplate, type TemplateError, type TemplateNode } from '../shared/anki/template';
import { compareAnswer } from '../shared/anki/type-answer';
import { createTranslator, type Translate } from '../shared/i18n';
import { applyFilters, type TypeAnswerRequest } from './anki-template-filters';

export {
  ankiCardOrdinals,
  compileAnkiTemplate,
  parseAnkiTemplate,
  referencedFields,
  rendersWithFields,
  type CompiledTemplate,
  type ParsedTemplate,
  type TemplateError,
  type TemplateNode,
} from '../shared/anki/template';

/**
 * Cards of an Anki note type, rendered as Anki renders them (rslib/src/template.rs `render_card`,
 * notetype/render.rs, and the reviewer's type-answer step in qt/aqt/reviewer.py). The output is
 * HTML for the card sanitizer (sanitize.ts `sanitizeAnkiCardHtml`); nothing here runs script.
 */

export interface AnkiCardRequest {
  template: CompiledTemplate;
  /** The note's fields by name, as stored (HTML). */
  fields: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** The card's ordinal: its template's index, or on a cloze note type its cloze number − 1. */
  ord: number;
  cloze: boolean;
  /** Anki's special fields (notetype/render.rs `add_special_fields`); a note field of the same name wins. */
  tags?: readonly string[];
  notetype?: string;
  deck?: string;
  flag?: number;
  cardId?: number;
  /** What was typed into the question's `{{type:…}}` box: the answer compares it with the field (empty: the field alone). */
  typed?: string;
}

export interface RenderedAnkiCard {
  question: string;
  answer: string;
  /** Anki's "front of this card is blank" (or no such cloze): both sides say so. */
  empty: boolean;
  /** A template mistake: both sides show it, as in Anki. */
  error: boolean;
}

const TEMPLATE_ERROR_LINK = 'https://docs.ankiweb.net/templates/errors.html#template-syntax-error';
const BLANK_LINK = 'https://docs.ankiweb.net/templates/errors.html#front-of-card-is-blank';
const BLANK_CLOZE_LINK = 'https://docs.ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-type';
/** Private-use delimiters for type-answer markers: a field's HTML will not hold this pair around a number. */
const MARK_OPEN = '\ue000pd-type:';
const MARK_CLOSE = '\ue001';
const MARKER = /\ue000pd-type:(\d+)\ue001/g;

class RenderFailure {
  constructor(readonly error: TemplateError) {}
}

interface Context {
  fields: Map<string, string>;
  nonEmpty: Set<string>;
  ord: number;
  frontSide: string | null;
  typeRequests: TypeAnswerRequest[];
}

function renderNodes(nodes: TemplateNode[], context: Context): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'comment') out += `<!--${node.text}-->`;
    else if (node.kind === 'replacement') {
      // "A popular card template expects {{FrontSide}} to resolve to an empty string on the front side" (template.rs).
      if (node.key === 'FrontSide') out += context.frontSide ?? '';
      else if (node.key === '' && node.filters.length > 0) continue;
      else {
        const value = context.fields.get(node.key);
        if (value === undefined) {
          const filters = [...node.filters].reverse().concat('').join(':');
          throw new RenderFailure({ kind: 'field-not-found', field: node.key, filters });
        }
        out += applyFilters(value, node.filters, node.key, {
          ord: context.ord,
          question: context.frontSide === null,
          typeAnswer: (request) => `${MARK_OPEN}${context.typeRequests.push(request) - 1}${MARK_CLOSE}`,
        });
      }
    } else {
      // template.rs `evaluate_conditional`: unknown names (other than c1, c2…) are an error, even in a hidden branch.
      let shown: boolean;
      if (context.nonEmpty.has(node.key)) shown = !node.negated;
      else if (context.fields.has(node.key) || isClozeConditional(node.key)) shown = node.negated;
      else throw new RenderFailure({ kind: 'no-such-conditional', condition: `${node.negated ? '^' : '#'}${node.key}` });
      const inner = renderNodes(node.children, context);
      if (shown) out += inner;
    }
  }
  return out;
}

/** notetype/render.rs: the note's fields, Anki's special fields where no note field has the name, and `c<N>` for this card. */
function fieldMap(request: AnkiCardRequest): Map<string, string> {
  const fields = request.fields instanceof Map ? new Map(request.fields) : new Map(Object.entries(request.fields));
  const deck = request.deck ?? '(Deck)';
  const special: [string, string][] = [
    ['Tags', (request.tags ?? []).join(' ')],
    ['Type', request.notetype ?? ''],
    ['Deck', deck],
    ['Subdeck', deck.split('::').pop() ?? deck],
    ['CardFlag', `flag${request.flag ?? 0}`],
    ['Card', request.template.name],
    ['CardID', String(request.cardId ?? 0)],
  ];
  // Special values are plain text (Anki inserts them raw); escaped so a deck named "R&D <x>" shows as written.
  for (const [name, value] of special) if (!fields.has(name)) fields.set(name, encodeMinimal(value));
  if (!fields.has(`c${request.ord + 1}`)) fields.set(`c${request.ord + 1}`, '1');
  return fields;
}

function templateErrorText(t: Translate, error: TemplateError): string {
  switch (error.kind) {
    case 'conditional-not-closed':
      return t('ankiTemplate.notClosed', { missing: `{{/${error.tag}}}` });
    case 'conditional-not-open':
      return error.open === null
        ? t('ankiTemplate.notOpen', { found: `{{/${error.closed}}}`, open: `{{#${error.closed}}}`, negated: `{{^${error.closed}}}` })
        : t('ankiTemplate.wrongClosed', { found: `{{/${error.closed}}}`, expected: `{{/${error.open}}}` });
    case 'field-not-found':
      return t('ankiTemplate.noSuchField', { found: `{{${error.filters}${error.field}}}`, field: error.field });
    case 'no-such-conditional':
      return t('ankiTemplate.noSuchField', { found: `{{${error.condition}}}`, field: error.condition.slice(1) });
  }
}

const errorBlock = (t: Translate, header: string, details: string, link: string) =>
  `<div class="render-error anki-template-error" role="note">${encodeMinimal(header)}<br>${encodeMinimal(details)}<br><a href="${link}">${encodeMinimal(t('ankiTemplate.moreInfo'))}</a></div>`;

/** qt/aqt/reviewer.py `typeAnsQuestionFilter` / `typeAnsAnswerFilter`: the box on the question, Anki's comparison with what was typed on the answer. */
function finishTypeAnswer(html: string, requests: TypeAnswerRequest[], fields: Map<string, string>, ord: number, question: boolean, t: Translate, typed = ''): string {
  const first = /\ue000pd-type:(\d+)\ue001/.exec(html);
  if (!first) return html;
  // Anki reads the first marker's field and puts the same box or answer at every marker.
  const request = requests[Number(first[1])];
  const value = fields.get(request.field);
  let expected = value;
  if (value !== undefined && request.mode === 'cloze') expected = extractClozeForTyping(value, ord + 1);
  if (question) {
    // (An unknown field never gets here: the template already failed on it, as in Anki.)
    if (!expected) {
      return html.replace(MARKER, request.mode === 'cloze' ? encodeMinimal(t('ankiTemplate.missingCloze', { number: ord + 1 })) : '');
    }
    const input = `<input type="text" id="typeans" class="typeans" aria-label="${encodeMinimal(t('ankiTemplate.typeAnswer'))}" autocomplete="off" autocapitalize="off" spellcheck="false">`;
    return html.replace(MARKER, input);
  }
  if (!expected) return html.replace(MARKER, '');
  // `{{type:nc:…}}` leaves combining marks out of the comparison (reviewer.py `_combining`).
  const shown = `<div class="typeans-answer">${compareAnswer(expected, typed, request.mode !== 'nc')}</div>`;
  // reviewer.py's "hack": the answer separator stays before the comparison when {{FrontSide}} brings it.
  const withoutRule = html.replace(/<hr id=answer>/g, '');
  const hadRule = withoutRule.length !== html.length;
  return withoutRule.replace(MARKER, hadRule ? `<hr id=answer>${shown}` : shown);
}

/** Anki's `[sound:file]` plays with a button; here a native audio control (its file resolved like images). */
function soundTags(html: string): string {
  return html.replace(/\[sound:([^\]]+)\]/g, (_, file: string) => `<audio class="anki-sound" controls preload="none" src="${encodeMinimal(encodeURIComponent(file))}"></audio>`);
}

/**
 * Renders one card's question and answer (template.rs `render_card`). A template mistake shows
 * Anki's message, escaped, on both sides; a blank front or a missing cloze shows Anki's notice.
 */
export function renderAnkiCard(request: AnkiCardRequest, t: Translate = createTranslator('en')): RenderedAnkiCard {
  const fields = fieldMap(request);
  const nonEmpty = new Set([...fields].filter(([, value]) => !fieldIsEmpty(value)).map(([name]) => name));
  const context: Context = { fields, nonEmpty, ord: request.ord, frontSide: null, typeRequests: [] };
  const { question: questionTemplate, answer: answerTemplate } = request.template;
  const fail = (side: 'front' | 'back', error: TemplateError): RenderedAnkiCard => {
    const block = errorBlock(t, t(side === 'front' ? 'ankiTemplate.frontProblem' : 'ankiTemplate.backProblem'), templateErrorText(t, error), TEMPLATE_ERROR_LINK);
    return { question: block, answer: block, empty: false, error: true };
  };
  const render = (template: ParsedTemplate, side: 'front' | 'back'): string | RenderedAnkiCard => {
    if (!template.ok) return fail(side, template.error);
    try {
      return renderNodes(template.nodes, context);
    } catch (e) {
      if (e instanceof RenderFailure) return fail(side, e.error);
      throw e;
    }
  };
  const question = render(questionTemplate, 'front');
  if (typeof question !== 'string') return question;

  let notice: string | null = null;
  if (request.cloze) {
    const numbers = new Set<number>();
    for (const value of fields.values()) for (const n of ankiClozeNumbers(value)) numbers.add(n);
    if (!numbers.has(request.ord + 1)) notice = `<div>${encodeMinimal(t('ankiTemplate.missingCloze', { number: request.ord + 1 }))}<br><a href="${BLANK_CLOZE_LINK}">${encodeMinimal(t('ankiTemplate.moreInfo'))}</a></div>`;
  } else if (questionTemplate.ok && !rendersWithFields(questionTemplate.nodes, nonEmpty)) {
    notice = `<div>${encodeMinimal(t('ankiTemplate.emptyFront'))}<br><a href="${BLANK_LINK}">${encodeMinimal(t('ankiTemplate.moreInfo'))}</a></div>`;
  }
  if (notice !== null) return { question: soundTags(finishTypeAnswer(question, context.typeRequests, fields, request.ord, true, t)) + notice, answer: notice, empty: true, error: false };

  context.frontSide = question;
  const answer = render(answerTemplate, 'back');
  if (typeof answer !== 'string') return answer;
  return {
    question: soundTags(finishTypeAnswer(question, context.typeRequests, fields, request.ord, true, t)),
    answer: soundTags(finishTypeAnswer(answer, context.typeRequests, fields, request.ord, false, t, request.typed)),
    empty: false,
    error: false,
  };
}

import { ankiClozeNumbers } from './cloze-parser';
import { fieldIsEmpty } from './html-text';

/**
 * Anki's card-template language, parsed as rslib/src/template.rs parses it (ankitects/anki 25.09):
 *
 * - `{{Field}}`, with filters applied right to left: `{{text:hint:Field}}` is hint, then text;
 * - `{{#Field}}…{{/Field}}` shows its content when the field is not empty, `{{^Field}}…{{/Field}}`
 *   when it is; `{{#c2}}` is true on cloze card 2;
 * - `{{FrontSide}}` is the rendered question (answer side only);
 * - `<!-- … -->` comments are kept and never parsed;
 * - a template that starts with `{{=<% %>=}}` uses `<% %>` instead of `{{ }}`;
 * - field names are matched exactly (spaces, case and any script included); a handle is trimmed
 *   as a whole, so `{{ Front }}` is `Front`, and a `{{` without a `}}` is plain text.
 *
 * Parsing happens once per template; rendering (src/render/anki-template.ts) reuses the tree, and
 * the importer uses it to know which cards a note has (`ankiCardOrdinals`).
 */

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'comment'; text: string }
  /** `filters` in the order they apply (the one next to the field name first). */
  | { kind: 'replacement'; key: string; filters: string[] }
  | { kind: 'conditional'; key: string; negated: boolean; children: TemplateNode[] };

/** template.rs `TemplateError`, for messages in the user's language. */
export type TemplateError =
  | { kind: 'conditional-not-closed'; tag: string }
  | { kind: 'conditional-not-open'; closed: string; open: string | null }
  | { kind: 'field-not-found'; field: string; filters: string }
  | { kind: 'no-such-conditional'; condition: string };

export type ParsedTemplate = { ok: true; nodes: TemplateNode[] } | { ok: false; error: TemplateError };

type Token =
  | { kind: 'text' | 'comment' | 'replacement'; text: string }
  | { kind: 'open' | 'negated' | 'close'; text: string };

const ALT_SYNTAX = '{{=<% %>=}}';

/** template.rs `classify_handle`: the leading character of a trimmed handle decides its kind. */
function classifyHandle(handle: string): Token {
  const start = handle.replace(/^\{+/, '').trim();
  // Rust's `len() < 2` counts bytes: empty, or one ASCII character.
  if (start.length === 0 || (start.length === 1 && start.charCodeAt(0) < 0x80)) return { kind: 'replacement', text: start };
  if (start[0] === '#') return { kind: 'open', text: start.slice(1).trimStart() };
  if (start[0] === '/') return { kind: 'close', text: start.slice(1).trimStart() };
  if (start[0] === '^') return { kind: 'negated', text: start.slice(1).trimStart() };
  return { kind: 'replacement', text: start };
}

/** template.rs `tokens` / `next_token`: at each position a handle or a comment, else text. */
function tokenize(template: string): Token[] {
  let open = '{{';
  let close = '}}';
  let input = template;
  if (input.trimStart().startsWith(ALT_SYNTAX)) {
    input = input.trimStart();
    while (input.startsWith(ALT_SYNTAX)) input = input.slice(ALT_SYNTAX.length);
    open = '<%';
    close = '%>';
  }
  const tokens: Token[] = [];
  let textStart = 0;
  let i = 0;
  while (i < input.length) {
    if (input.startsWith(open, i)) {
      const end = input.indexOf(close, i + open.length);
      if (end >= 0) {
        if (i > textStart) tokens.push({ kind: 'text', text: input.slice(textStart, i) });
        tokens.push(classifyHandle(input.slice(i + open.length, end)));
        i = textStart = end + close.length;
        continue;
      }
    }
    if (input.startsWith('<!--', i)) {
      const end = input.indexOf('-->', i + 4);
      if (end >= 0) {
        if (i > textStart) tokens.push({ kind: 'text', text: input.slice(textStart, i) });
        tokens.push({ kind: 'comment', text: input.slice(i + 4, end) });
        i = textStart = end + 3;
        continue;
      }
    }
    i++;
  }
  if (textStart < input.length) tokens.push({ kind: 'text', text: input.slice(textStart) });
  return tokens;
}

class ParseFailure {
  constructor(readonly error: TemplateError) {}
}

/** template.rs `parse_inner`: nests conditionals; a closing tag must match the innermost open one. */
function parseInner(tokens: Token[], at: { i: number }, openTag: string | null): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  while (at.i < tokens.length) {
    const token = tokens[at.i++];
    switch (token.kind) {
      case 'text':
      case 'comment':
        nodes.push({ kind: token.kind, text: token.text });
        break;
      case 'replacement': {
        const parts = token.text.split(':').reverse();
        nodes.push({ kind: 'replacement', key: parts[0], filters: parts.slice(1) });
        break;
      }
      case 'open':
      case 'negated':
        nodes.push({ kind: 'conditional', key: token.text, negated: token.kind === 'negated', children: parseInner(tokens, at, token.text) });
        break;
      case 'close':
        if (openTag === token.text) return nodes;
        throw new ParseFailure({ kind: 'conditional-not-open', closed: token.text, open: openTag });
    }
  }
  if (openTag !== null) throw new ParseFailure({ kind: 'conditional-not-closed', tag: openTag });
  return nodes;
}

/** Parses a card template (a note type's question or answer format). */
export function parseAnkiTemplate(template: string): ParsedTemplate {
  try {
    return { ok: true, nodes: parseInner(tokenize(template), { i: 0 }, null) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

/** template.rs `is_cloze_conditional`: `c` and a number, true on that cloze card. */
export function isClozeConditional(key: string): boolean {
  return /^c\d+$/.test(key) && Number(key.slice(1)) <= 0xffffffff;
}

/**
 * template.rs `template_is_empty`, negated: whether these non-empty fields are enough for the
 * template to show something. One replacement of a non-empty field is enough; text is not.
 * This is how Anki decides which cards a standard note has (and calls a front blank).
 */
export function rendersWithFields(nodes: TemplateNode[], nonEmpty: ReadonlySet<string>, checkNegated = true): boolean {
  for (const node of nodes) {
    if (node.kind === 'replacement') {
      if (nonEmpty.has(node.key)) return true;
    } else if (node.kind === 'conditional') {
      if (node.negated ? checkNegated && nonEmpty.has(node.key) : !nonEmpty.has(node.key)) continue;
      if (rendersWithFields(node.children, nonEmpty, checkNegated)) return true;
    }
  }
  return false;
}

/** template.rs `all_referenced_field_names`: fields a template reads, conditionals included (cloze conditionals not). */
export function referencedFields(nodes: TemplateNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    if (node.kind === 'replacement') into.add(node.key);
    else if (node.kind === 'conditional') {
      if (!isClozeConditional(node.key)) into.add(node.key);
      referencedFields(node.children, into);
    }
  }
  return into;
}

/** One card template of a note type, parsed once. */
export interface CompiledTemplate {
  name: string;
  question: ParsedTemplate;
  answer: ParsedTemplate;
}

export function compileAnkiTemplate(template: { name: string; front: string; back: string }): CompiledTemplate {
  return { name: template.name, question: parseAnkiTemplate(template.front), answer: parseAnkiTemplate(template.back) };
}

/** notetype/mod.rs `SPECIAL_FIELDS`, less FrontSide: non-empty for card generation unless a note field has the name (Tags only when the note has tags). */
const SPECIAL_FIELDS = ['Card', 'CardFlag', 'Deck', 'Subdeck', 'Tags', 'Type', 'CardID'];

/**
 * Which cards a note has (notetype/cardgen.rs `new_cards_required`): on a standard note type, one
 * per template whose question renders with the note's non-empty fields; on a cloze note type, one
 * per cloze number in any field (ordinal = number − 1, at most 499). A note that would have none
 * gets card 0, so it never has no card at all. Ordinals, ascending.
 */
export function ankiCardOrdinals(
  templates: readonly CompiledTemplate[],
  fields: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  options: { cloze: boolean; hasTags?: boolean },
): number[] {
  const entries = fields instanceof Map ? [...fields] : Object.entries(fields);
  let ords: number[];
  if (options.cloze) {
    const set = new Set<number>();
    for (const [, value] of entries) for (const n of ankiClozeNumbers(value)) set.add(Math.min(499, n - 1));
    ords = [...set].sort((a, b) => a - b);
  } else {
    const names = new Set(entries.map(([name]) => name));
    const nonEmpty = new Set(entries.filter(([, value]) => !fieldIsEmpty(value)).map(([name]) => name));
    for (const special of SPECIAL_FIELDS) if (!names.has(special) && (special !== 'Tags' || options.hasTags)) nonEmpty.add(special);
    ords = templates.flatMap((template, ord) => (template.question.ok && rendersWithFields(template.question.nodes, nonEmpty) ? [ord] : []));
  }
  return ords.length ? ords : [0];
}

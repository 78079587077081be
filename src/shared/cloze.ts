/**
 * Note kinds and Anki-style cloze deletions (`{{c1::answer}}`, `{{c2::answer::hint}}`).
 * Pure text functions shared by the services (which cards a note has), the renderer (what a
 * cloze card shows) and the editor (the Ctrl+Shift+C shortcut).
 */

/** What cards a note makes: basic → ord 0; reversed → ord 0 (front→back) and 1 (back→front); cloze → one per cloze number. */
export type NoteKind = 'basic' | 'reversed' | 'cloze';

export const noteKinds: readonly NoteKind[] = ['basic', 'reversed', 'cloze'];

/** One `{{cN::content::hint}}` in a text, with its position. */
export interface ClozeDeletion {
  /** The cloze number N (1-based); its card's ord is N − 1. */
  number: number;
  content: string;
  hint: string | null;
  /** Offsets of `{{` and just past `}}` in the text. */
  start: number;
  end: number;
  /** Offset of the content's first character. */
  contentStart: number;
}

const opening = /\{\{c(\d{1,3})::/g;

/**
 * The cloze deletions of a text, in order. The closing `}}` is found with braces balanced, so TeX
 * such as `{{c1::$\frac{1}{x^{2}}$}}` keeps its braces; the hint follows the first `::` outside
 * braces. Nested deletions are not supported (the outer one wins, as its content).
 */
export function findClozes(text: string): ClozeDeletion[] {
  const result: ClozeDeletion[] = [];
  opening.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = opening.exec(text)) !== null) {
    const number = Number(match[1]);
    const contentStart = match.index + match[0].length;
    let depth = 0;
    let hintAt = -1;
    let close = -1;
    for (let i = contentStart; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0 && text[i + 1] === '}') {
          close = i;
          break;
        }
        if (depth > 0) depth--;
      } else if (c === ':' && depth === 0 && hintAt < 0 && text[i + 1] === ':') {
        hintAt = i;
        i++;
      }
    }
    if (close < 0 || number < 1) continue;
    const content = text.slice(contentStart, hintAt >= 0 ? hintAt : close);
    const hint = hintAt >= 0 ? text.slice(hintAt + 2, close) : null;
    result.push({ number, content, hint, start: match.index, end: close + 2, contentStart });
    opening.lastIndex = close + 2;
  }
  return result;
}

/** The distinct cloze numbers of a text, ascending. */
export function clozeNumbers(text: string): number[] {
  return [...new Set(findClozes(text).map((c) => c.number))].sort((a, b) => a - b);
}

/**
 * The card ords a note of `kind` has. A cloze note without any deletion keeps one card (ord 0),
 * as Anki does, so a note never loses its last card by an edit.
 */
export function cardOrdinals(kind: NoteKind, front: string): number[] {
  if (kind === 'reversed') return [0, 1];
  if (kind === 'cloze') {
    const numbers = clozeNumbers(front);
    return numbers.length ? numbers.map((n) => n - 1) : [0];
  }
  return [0];
}

/**
 * The ords of a note's cards that an edit to `kind`/`front` removes: cloze numbers that vanished,
 * the back→front card of a note no longer reversed. A basic note that stays basic keeps every
 * card (Anki notes of multi-template note types arrive with several); `previousKind` null means
 * a note being created.
 */
export function ordsRemovedByEdit(existingOrds: readonly number[], note: { kind: NoteKind; front: string; previousKind: NoteKind | null }): number[] {
  if (note.kind === 'basic' && (note.previousKind === 'basic' || note.previousKind === null)) return [];
  const wanted = new Set(cardOrdinals(note.kind, note.front));
  return existingOrds.filter((ord) => !wanted.has(ord));
}

/** True when a question is written as a cloze (`{{c1::…}}`): Markdown notes become cloze notes by it. */
export function looksLikeCloze(text: string): boolean {
  return findClozes(text).length > 0;
}

/** The next free cloze number of a text (Anki's Ctrl+Shift+C): one past the highest used. */
export function nextClozeNumber(text: string): number {
  const numbers = clozeNumbers(text);
  return numbers.length ? numbers[numbers.length - 1] + 1 : 1;
}

/** A card's short label in lists: c1, c2… for cloze cards, 1 / 2 for a reversed note's two sides; null for basic. */
export function cardLabel(kind: NoteKind, ord: number): string | null {
  if (kind === 'cloze') return `c${ord + 1}`;
  if (kind === 'reversed') return ord === 1 ? '2' : '1';
  return null;
}

/** Parses a stored kind; anything unknown reads as 'basic'. */
export function toNoteKind(value: unknown): NoteKind {
  return value === 'reversed' || value === 'cloze' ? value : 'basic';
}

/**
 * Just enough CSS syntax to take a note type's stylesheet apart safely: comments, strings, blocks
 * and lists split at the top level only. Every value that leaves anki-css.ts was rebuilt from
 * these pieces, so nothing the parser did not understand reaches the page.
 */

/** One top-level rule: an at-rule (`@media …`, `@import …;`) or a style rule (`selector { … }`). */
export type CssRule = { kind: 'at'; name: string; prelude: string; body: string | null } | { kind: 'style'; prelude: string; body: string };

/** Index just past the string that starts at `at` (a quote); an unterminated string ends at the line's end. */
function skipString(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
    else i++;
  }
  return text.length;
}

/** Comments removed, strings left alone. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = skipString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index of the `}` matching the `{` at `open` (strings and nested blocks skipped), or -1. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Index of the first `{` or `;` outside strings and brackets from `from`, or -1. */
function preludeEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === '{' || c === ';')) return i;
  }
  return -1;
}

/** The rules of a comment-free stylesheet (or block). A rule that never ends is dropped with the rest. */
export function parseRules(text: string): CssRule[] {
  const rules: CssRule[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const end = preludeEnd(text, i);
    if (end < 0) break;
    const prelude = text.slice(i, end).trim();
    if (text[end] === ';') {
      const at = /^@([\w-]+)/.exec(prelude);
      if (at) rules.push({ kind: 'at', name: at[1].toLowerCase(), prelude: prelude.slice(at[0].length).trim(), body: null });
      i = end + 1;
      continue;
    }
    const close = matchingBrace(text, end);
    if (close < 0) break;
    const body = text.slice(end + 1, close);
    const at = /^@([\w-]+)/.exec(prelude);
    rules.push(at ? { kind: 'at', name: at[1].toLowerCase(), prelude: prelude.slice(at[0].length).trim(), body } : { kind: 'style', prelude, body });
    i = close + 1;
  }
  return rules;
}

/** Splits at `separator` outside strings, brackets and braces. */
export function splitTopLevel(text: string, separator: ',' | ';'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The text with every string's contents blanked out (quotes kept): for checks that must not look inside strings. */
export function outsideStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = skipString(text, i);
      out += c + ' '.repeat(Math.max(0, end - i - 2)) + (end - i >= 2 ? c : '');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A CSS string's value: quotes removed and escapes decoded (`\68 ttp` is `http`). */
export function cssStringValue(text: string): string {
  const inner = /^(["'])([\s\S]*?)\1?$/.exec(text.trim())?.[2] ?? text.trim();
  return inner.replace(/\\([0-9a-fA-F]{1,6})\s?|\\([\s\S])/g, (_, hex: string | undefined, char: string | undefined) => {
    if (hex) {
      const code = parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return char === '\n' ? '' : (char ?? '');
  });
}

/**
 * Each `name(args)` in a value, outside strings, with its arguments' span, in order. An unclosed
 * one runs to the end.
 */
export function functionCalls(value: string): { name: string; start: number; argsStart: number; end: number }[] {
  const plain = outsideStrings(value);
  const calls: { name: string; start: number; argsStart: number; end: number }[] = [];
  for (const match of plain.matchAll(/(-?[A-Za-z_][\w-]*)\(/g)) {
    const argsStart = match.index + match[0].length;
    let depth = 1;
    let end = argsStart;
    for (; end < plain.length && depth > 0; end++) {
      if (plain[end] === '(') depth++;
      else if (plain[end] === ')') depth--;
    }
    calls.push({ name: match[1].toLowerCase(), start: match.index, argsStart, end: depth === 0 ? end - 1 : plain.length });
  }
  return calls;
}

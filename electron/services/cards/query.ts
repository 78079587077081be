import { AppError } from '../../../src/shared/errors';
import { isValues, propNames, type IsValue, type PropName, type PropOp, type SearchTerm } from '../store/card-search';

/**
 * The card browser's search language, in the spirit of Anki's:
 *   deck:NAME  tag:NAME  is:due|new|learn|review|suspended|buried  flag:0..7
 *   prop:ivl>=10  prop:lapses>3  prop:reps=0  prop:r<0.9  prop:s>30  prop:d<5  prop:due<=1
 *   free text (matches front, back, context and translations; Korean included)
 *   "quoted phrases", -negation, * as a wildcard in deck: and tag:.
 * Terms are ANDed.
 */
export type Term = SearchTerm;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && /\s/.test(ch)) {
      if (current) tokens.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (quoted) throw new AppError('invalid-args', 'unclosed quote in the search', { detail: 'unclosed quote' });
  if (current) tokens.push(current);
  return tokens;
}

/** Parses a search string into terms; a malformed term is a user error with the term named. */
export function parseQuery(query: string): Term[] {
  return tokenize(query.trim()).map((raw) => {
    const negate = raw.startsWith('-') && raw.length > 1;
    const token = negate ? raw.slice(1) : raw;
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    const rest = colon > 0 ? token.slice(colon + 1) : '';
    switch (key) {
      case 'deck':
      case 'tag':
        if (!rest) throw bad(raw, `${key}: needs a name`);
        return { kind: key, value: rest, negate };
      case 'is': {
        const value = rest.toLowerCase() as IsValue;
        if (!isValues.includes(value)) throw bad(raw, `is: takes ${isValues.join(', ')}`);
        return { kind: 'is', value, negate };
      }
      case 'flag': {
        if (!/^[0-7]$/.test(rest)) throw bad(raw, 'flag: takes 0 (no flag) to 7');
        return { kind: 'flag', value: Number(rest), negate };
      }
      case 'prop': {
        const m = /^([a-z]+)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)$/.exec(rest.toLowerCase());
        if (!m || !propNames.includes(m[1] as PropName)) throw bad(raw, `prop: takes ${propNames.join(', ')} with <, <=, >, >=, =, != and a number`);
        return { kind: 'prop', prop: m[1] as PropName, op: m[2] as PropOp, value: Number(m[3]), negate };
      }
      default:
        return { kind: 'text', value: token, negate };
    }
  });
}

function bad(term: string, why: string): AppError {
  return new AppError('invalid-args', `search term '${term}': ${why}`, { detail: `${term}: ${why}` });
}

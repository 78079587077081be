/**
 * How deeply a YAML text nests, estimated without parsing it: the deepest `[`/`{` flow nesting
 * outside quotes, plus the deepest block nesting a line can reach (its indentation and a run of
 * compact `- ` / `? ` indicators). The yaml package parses recursively; input nested thousands
 * deep exhausts the stack, and when that happens while V8 compiles a regular expression the
 * process dies (a fatal error, not an exception), worker thread or not. So depth is checked first.
 */
export function yamlNestingDepth(source: string): number {
  let flow = 0;
  let deepest = 0;
  let quote: string | null = null;
  let lineStart = true;
  let indent = 0;
  let indicators = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        continue;
      }
      if ((c === '-' || c === '?' || c === ':') && source[i + 1] === ' ') {
        indicators++;
        i++;
        continue;
      }
      lineStart = false;
      deepest = Math.max(deepest, indent + indicators + flow);
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || source[i - 1] === ' ')) {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') deepest = Math.max(deepest, indent + indicators + ++flow);
    else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return deepest;
}

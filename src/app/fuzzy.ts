/**
 * Fuzzy matching for the command palette, as Sublime Text, VS Code and Linear do it: the query's
 * characters must appear in order (not together); consecutive runs, word starts and an early
 * first match score higher. Case-insensitive; Hangul matches syllable by syllable.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let at = 0;
  let previous = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const found = t.indexOf(ch, at);
    if (found < 0) return null;
    const wordStart = found === 0 || /[\s:/\-_.()·]/.test(t[found - 1]);
    score += 1 + (found === previous + 1 ? 4 : 0) + (wordStart ? 3 : 0) - Math.min(found - at, 10) * 0.1;
    previous = found;
    at = found + 1;
  }
  // Shorter texts win a tie: "Lab" before "Label printer settings".
  return score - t.length * 0.01;
}

/** The items that match, best first; with no query, all of them in their order. */
export function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string): T[] {
  if (query.trim() === '') return [...items];
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, text(item)) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.item);
}

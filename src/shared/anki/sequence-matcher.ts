/**
 * The `difflib` crate's `SequenceMatcher` (itself Python's difflib), which Anki's type-answer
 * comparison runs on characters (rslib/src/typeanswer.rs `to_tokens`). Ported step for step so
 * that ProofDeck marks the same characters good, bad or missed as Anki does: no junk function,
 * and the "popular element" rule for a second sequence of 200 or more items.
 */

export interface MatchBlock {
  aStart: number;
  bStart: number;
  size: number;
}

export type OpcodeTag = 'equal' | 'delete' | 'insert' | 'replace';

export interface Opcode {
  tag: OpcodeTag;
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Where each item occurs in `b`, without the popular ones (more than 1% + 1 of a sequence of ≥ 200). */
function indexSecond(b: readonly string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  b.forEach((item, j) => {
    const list = positions.get(item);
    if (list) list.push(j);
    else positions.set(item, [j]);
  });
  if (b.length >= 200) {
    const limit = Math.floor(b.length / 100) + 1;
    for (const [item, list] of positions) if (list.length > limit) positions.delete(item);
  }
  return positions;
}

function longestMatch(a: readonly string[], b: readonly string[], positions: Map<string, number[]>, aLo: number, aHi: number, bLo: number, bHi: number): MatchBlock {
  let bestI = aLo;
  let bestJ = bLo;
  let bestSize = 0;
  let lengths = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) {
    const next = new Map<number, number>();
    for (const j of positions.get(a[i]) ?? []) {
      if (j < bLo) continue;
      if (j >= bHi) break;
      const size = (j > 0 ? (lengths.get(j - 1) ?? 0) : 0) + 1;
      next.set(j, size);
      if (size > bestSize) {
        bestI = i + 1 - size;
        bestJ = j + 1 - size;
        bestSize = size;
      }
    }
    lengths = next;
  }
  // Extends over items left out of the index (the popular ones), both ways, as the crate does twice.
  for (let pass = 0; pass < 2; pass++) {
    while (bestI > aLo && bestJ > bLo && a[bestI - 1] === b[bestJ - 1]) {
      bestI--;
      bestJ--;
      bestSize++;
    }
    while (bestI + bestSize < aHi && bestJ + bestSize < bHi && a[bestI + bestSize] === b[bestJ + bestSize]) bestSize++;
  }
  return { aStart: bestI, bStart: bestJ, size: bestSize };
}

/** `get_matching_blocks`: the matching runs in order, adjacent ones joined, ending with a zero-size block at the ends. */
export function matchingBlocks(a: readonly string[], b: readonly string[]): MatchBlock[] {
  const positions = indexSecond(b);
  const found: MatchBlock[] = [];
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [aLo, aHi, bLo, bHi] = queue.pop()!;
    const match = longestMatch(a, b, positions, aLo, aHi, bLo, bHi);
    if (match.size === 0) continue;
    if (aLo < match.aStart && bLo < match.bStart) queue.push([aLo, match.aStart, bLo, match.bStart]);
    if (match.aStart + match.size < aHi && match.bStart + match.size < bHi) queue.push([match.aStart + match.size, aHi, match.bStart + match.size, bHi]);
    found.push(match);
  }
  found.sort((x, y) => x.aStart - y.aStart || x.bStart - y.bStart || x.size - y.size);
  const joined: MatchBlock[] = [];
  let current: MatchBlock = { aStart: 0, bStart: 0, size: 0 };
  for (const match of found) {
    if (current.aStart + current.size === match.aStart && current.bStart + current.size === match.bStart) current.size += match.size;
    else {
      if (current.size !== 0) joined.push(current);
      current = { ...match };
    }
  }
  if (current.size !== 0) joined.push(current);
  joined.push({ aStart: a.length, bStart: b.length, size: 0 });
  return joined;
}

/** `get_opcodes`: how to turn `a` into `b`, run by run. */
export function opcodes(a: readonly string[], b: readonly string[]): Opcode[] {
  const out: Opcode[] = [];
  let i = 0;
  let j = 0;
  for (const match of matchingBlocks(a, b)) {
    let tag: OpcodeTag | null = null;
    if (i < match.aStart && j < match.bStart) tag = 'replace';
    else if (i < match.aStart) tag = 'delete';
    else if (j < match.bStart) tag = 'insert';
    if (tag) out.push({ tag, aStart: i, aEnd: match.aStart, bStart: j, bEnd: match.bStart });
    i = match.aStart + match.size;
    j = match.bStart + match.size;
    if (match.size !== 0) out.push({ tag: 'equal', aStart: match.aStart, aEnd: i, bStart: match.bStart, bEnd: j });
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { deckAncestorNames, deckLeafName, deckTree, flattenDeckTree, inDeckSubtree, normalizeDeckName, renamedInSubtree, sameDeckName } from './deck-names';

describe('deck names', () => {
  it('trims each part and refuses empty ones', () => {
    expect(normalizeDeckName(' Lang :: Korean ')).toEqual({ name: 'Lang::Korean' });
    // As Anki's own cases (rslib decks/name.rs `from_human`): control characters and quotes go, NFC.
    expect(normalizeDeckName('fo\x1fo::ba\nr')).toEqual({ name: 'foo::bar' });
    expect(normalizeDeckName('"quoted"::e\u0301')).toEqual({ name: 'quoted::\u00e9' });
    expect(normalizeDeckName('  ')).toEqual({ problem: 'empty' });
    expect(normalizeDeckName('::')).toEqual({ problem: 'empty' });
    expect(normalizeDeckName('A::')).toEqual({ problem: 'empty-part' });
    expect(normalizeDeckName('A:: ::B')).toEqual({ problem: 'empty-part' });
    expect(normalizeDeckName('가'.repeat(201))).toEqual({ problem: 'too-long' });
  });

  it('names parents, leaves and subtrees by `::`', () => {
    expect(deckAncestorNames('A::B::C')).toEqual(['A', 'A::B']);
    expect(deckLeafName('A::B::C')).toBe('C');
    expect(inDeckSubtree('A::B', 'A')).toBe(true);
    expect(inDeckSubtree('AB', 'A')).toBe(false);
    expect(renamedInSubtree('A::B::C', 'A::B', 'X')).toBe('X::C');
    expect(sameDeckName('Ünits', 'ünits')).toBe(true);
  });

  it('builds the tree from names; a deck whose parent is missing sits at the top with its full name', () => {
    const decks = [
      { id: 1, name: 'b' },
      { id: 2, name: 'A::x' },
      { id: 3, name: 'A' },
      { id: 4, name: 'A::x::deep' },
      { id: 5, name: 'Lost::child' },
      { id: 6, name: 'A::Y' },
    ];
    const tree = deckTree(decks);
    const rows = flattenDeckTree(tree).map((n) => `${'  '.repeat(n.depth)}${n.label}`);
    expect(rows).toEqual(['A', '  x', '    deep', '  Y', 'b', 'Lost::child']);
    expect(flattenDeckTree(tree, new Set([3])).map((n) => n.label)).toEqual(['A', 'b', 'Lost::child']);
    expect(flattenDeckTree(tree)[1].parentId).toBe(3);
  });
});

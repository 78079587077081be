/**
 * Deck names nest as in Anki: `Parent::Child::Grandchild`. A deck's subtree is the deck and every
 * deck whose name starts with its name and `::`; the tree's parent of a deck is the longest proper
 * prefix of its name that is a deck (a deck whose parents do not exist, which an old file may
 * have, sits at the top with its full name).
 */

/** The separator of nested deck names, as Anki writes it. */
export const deckSeparator = '::';

/** The longest deck name accepted (as the import's `deckName`). */
export const maxDeckNameLength = 200;

/** Why a deck name is refused: nothing in it, a part between `::` that is empty, or too long. */
export type DeckNameProblem = 'empty' | 'empty-part' | 'too-long';

// What Anki drops from a name's part (rslib decks/name.rs `invalid_char_for_deck_component`): ASCII
// control characters (its separator \x1f among them) and `"`, which its search syntax quotes with.
const droppedCharacters = /[\u0000-\u001f\u007f"]/g;

/**
 * A deck name as stored, each part between `::` as Anki normalizes it (NFC, without control
 * characters or `"`, trimmed). Returns the problem instead when the name is empty, has an empty
 * part (`A::::B`, `A::`; Anki would call it "blank") or is longer than {@link maxDeckNameLength}.
 */
export function normalizeDeckName(input: string): { name: string } | { problem: DeckNameProblem } {
  const parts = input.split(deckSeparator).map((part) => part.normalize('NFC').replace(droppedCharacters, '').trim());
  if (parts.every((part) => part === '')) return { problem: 'empty' };
  if (parts.some((part) => part === '')) return { problem: 'empty-part' };
  const name = parts.join(deckSeparator);
  if (name.length > maxDeckNameLength) return { problem: 'too-long' };
  return { name };
}

/** The parts of a deck name: `A::B` → `['A', 'B']`. */
export function deckNameParts(name: string): string[] {
  return name.split(deckSeparator);
}

/** The last part of a deck name, as the tree shows it under its parent: `A::B` → `B`. */
export function deckLeafName(name: string): string {
  const at = name.lastIndexOf(deckSeparator);
  return at < 0 ? name : name.slice(at + deckSeparator.length);
}

/** The names of a deck's ancestors, the top one first: `A::B::C` → `['A', 'A::B']`. */
export function deckAncestorNames(name: string): string[] {
  const parts = deckNameParts(name);
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join(deckSeparator));
}

/** True when `name` is `root` or a deck below it. */
export function inDeckSubtree(name: string, root: string): boolean {
  return name === root || name.startsWith(root + deckSeparator);
}

/** A deck's name once its subtree `from` is renamed to `to`: `A::B::C` with `A::B` → `X` is `X::C`. */
export function renamedInSubtree(name: string, from: string, to: string): string {
  return name === from ? to : to + name.slice(from.length);
}

/** Two deck names that Anki would take for the same deck (it compares them without case). */
export function sameDeckName(a: string, b: string): boolean {
  return a.normalize('NFC').toLocaleLowerCase('en') === b.normalize('NFC').toLocaleLowerCase('en');
}

/** A deck placed in the tree: its parent's id (null at the top) and how deep it sits (0 at the top). */
export interface DeckTreeNode<T extends { id: number; name: string }> {
  deck: T;
  parentId: number | null;
  depth: number;
  /** What the tree shows: the name below the parent (the full name at the top). */
  label: string;
  children: DeckTreeNode<T>[];
}

/**
 * The decks as a tree, each level in name order (case-insensitive, as Anki sorts). A deck's
 * parent is the nearest ancestor name that is a deck.
 */
export function deckTree<T extends { id: number; name: string }>(decks: readonly T[]): DeckTreeNode<T>[] {
  const byName = new Map(decks.map((deck) => [deck.name, deck]));
  const nodes = new Map<number, DeckTreeNode<T>>();
  for (const deck of decks) nodes.set(deck.id, { deck, parentId: null, depth: 0, label: deck.name, children: [] });
  const roots: DeckTreeNode<T>[] = [];
  for (const deck of decks) {
    const node = nodes.get(deck.id)!;
    const parent = deckAncestorNames(deck.name)
      .reverse()
      .map((name) => byName.get(name))
      .find((found) => found !== undefined);
    if (parent) {
      node.parentId = parent.id;
      node.label = deck.name.slice(parent.name.length + deckSeparator.length);
      nodes.get(parent.id)!.children.push(node);
    } else {
      roots.push(node);
    }
  }
  const order = (list: DeckTreeNode<T>[], depth: number) => {
    list.sort((a, b) => a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }) || a.label.localeCompare(b.label));
    for (const node of list) {
      node.depth = depth;
      order(node.children, depth + 1);
    }
  };
  order(roots, 0);
  return roots;
}

/** The tree's nodes depth first, as a list shows them; a collapsed deck's subtree is left out. */
export function flattenDeckTree<T extends { id: number; name: string }>(roots: readonly DeckTreeNode<T>[], collapsed: ReadonlySet<number> = new Set()): DeckTreeNode<T>[] {
  const out: DeckTreeNode<T>[] = [];
  const walk = (list: readonly DeckTreeNode<T>[]) => {
    for (const node of list) {
      out.push(node);
      if (!collapsed.has(node.deck.id)) walk(node.children);
    }
  };
  walk(roots);
  return out;
}

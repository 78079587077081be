import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DeckSummary } from '../../shared/contract';
import { deckTree, flattenDeckTree, type DeckTreeNode } from '../../shared/deck-names';
import { useApp } from '../AppContext';
import { DeckNameForm, DeleteDeckConfirm, MoveDeckForm } from './deck-forms';

export type DeckNode = DeckTreeNode<DeckSummary>;
export interface DeckAction {
  deckId: number;
  kind: 'rename' | 'move' | 'delete';
}

// Which decks are folded is the user's view of the list: kept in this browser, not the collection.
const storageKey = 'proofdeck.decks.collapsed';

function loadCollapsed(): Set<number> {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return new Set(Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : []);
  } catch {
    return new Set();
  }
}

function focusDeck(id: number): boolean {
  const button = document.querySelector<HTMLElement>(`[data-testid="deck-show"][data-deck-id="${id}"]`);
  button?.focus();
  return button !== null;
}

/**
 * The deck list as a tree: which decks are folded, the rows shown, and the keys of a tree
 * (↑ ↓ between decks, → unfolds or goes to the first subdeck, ← folds or goes to the parent).
 */
export function useDeckTree(decks: DeckSummary[]) {
  const [collapsed, setCollapsed] = useState<Set<number>>(loadCollapsed);
  const roots = useMemo(() => deckTree(decks), [decks]);
  const rows = useMemo(() => flattenDeckTree(roots, collapsed), [roots, collapsed]);
  const pendingFocus = useRef<number | null>(null);

  const toggle = useCallback((id: number, open?: boolean) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (open ?? next.has(id)) next.delete(id);
      else next.add(id);
      try {
        localStorage.setItem(storageKey, JSON.stringify([...next]));
      } catch {
        // A browser without storage folds for this visit only.
      }
      return next;
    });
  }, []);

  // After an operation the list reloads; the deck it was about (or its parent) gets the focus back.
  useEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    pendingFocus.current = null;
    if (!focusDeck(id)) document.querySelector<HTMLElement>('[data-testid="deck-show"]')?.focus();
  }, [rows]);

  const onKey = (event: KeyboardEvent<HTMLElement>, node: DeckNode) => {
    const at = rows.findIndex((row) => row.deck.id === node.deck.id);
    const folded = collapsed.has(node.deck.id);
    const go = (target: DeckNode | undefined) => {
      if (target) focusDeck(target.deck.id);
    };
    if (event.key === 'ArrowDown') go(rows[at + 1]);
    else if (event.key === 'ArrowUp') go(rows[at - 1]);
    else if (event.key === 'Home') go(rows[0]);
    else if (event.key === 'End') go(rows[rows.length - 1]);
    else if (event.key === 'ArrowRight' && node.children.length > 0) {
      if (folded) toggle(node.deck.id, true);
      else go(node.children[0]);
    } else if (event.key === 'ArrowLeft') {
      if (node.children.length > 0 && !folded) toggle(node.deck.id, false);
      else if (node.parentId !== null) focusDeck(node.parentId);
    } else return;
    event.preventDefault();
  };

  return {
    rows,
    collapsed,
    toggle,
    onKey,
    focus: (id: number) => void focusDeck(id),
    /** Focuses the deck `id` (when null, the first) once the list has reloaded. */
    focusAfterReload: (id: number | null) => {
      pendingFocus.current = id ?? -1;
    },
  };
}

/** The subdecks below a node, all levels. */
function subdeckCount(node: DeckNode): number {
  return node.children.reduce((sum, child) => sum + 1 + subdeckCount(child), 0);
}

/** A row under a deck with the form of the operation chosen for it. */
export function DeckActionRow(props: { action: DeckAction; node: DeckNode; decks: DeckSummary[]; columns: number; onDone(focus: number | null): void; onCancel(): void }) {
  const { api, t, undo } = useApp();
  const { deck } = props.node;
  let form;
  if (props.action.kind === 'rename') {
    form = (
      <DeckNameForm
        label={t('deckTree.renameLabel', { deck: deck.name })}
        initial={deck.name}
        submitLabel={t('deckTree.rename')}
        testId="deck-rename-form"
        onCancel={props.onCancel}
        onSubmit={async (name) => {
          const done = await api['decks.rename']({ deckId: deck.id, name });
          props.onDone(deck.id);
          undo.offer(t('deckTree.renamed', { name: done.name }));
        }}
      />
    );
  } else if (props.action.kind === 'move') {
    form = (
      <MoveDeckForm
        deck={deck}
        decks={props.decks}
        onCancel={props.onCancel}
        onSubmit={async (parentId) => {
          const done = await api['decks.move']({ deckId: deck.id, parentId });
          props.onDone(deck.id);
          undo.offer(t('deckTree.moved', { name: done.name }));
        }}
      />
    );
  } else {
    form = (
      <DeleteDeckConfirm
        deck={deck}
        subdecks={subdeckCount(props.node)}
        onCancel={props.onCancel}
        onConfirm={async () => {
          const done = await api['decks.delete']({ deckId: deck.id });
          props.onDone(props.node.parentId);
          undo.offer(t('deckTree.deleted', { name: done.name, count: done.cards }));
        }}
      />
    );
  }
  return (
    <tr className="deck-action-row" data-testid="deck-action-row">
      <td colSpan={props.columns}>{form}</td>
    </tr>
  );
}

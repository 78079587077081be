import { Fragment, useState } from 'react';
import type { DeckSummary, ExportFormat } from '../../shared/contract';
import { useApp } from '../AppContext';
import { saveDownload } from './upload';
import { DeckNotes } from './DeckNotes';
import { renderDiagramsToSvg } from './diagrams';
import { DeckNameForm } from './deck-forms';
import { DeckActionRow, useDeckTree, type DeckAction } from './deck-tree';
import { PresetPicker, usePresetList } from '../presets/PresetPicker';

/** Every deck as a tree (`Parent::Child`) with its counts and operations; export in any format; a peek at its notes. */
export function DeckList({ decks, onChanged = () => {} }: { decks: DeckSummary[]; onChanged?: () => void }) {
  const { api, t, notify, showError, navigate, undo } = useApp();
  const presetList = usePresetList();
  const tree = useDeckTree(decks);
  const [action, setAction] = useState<DeckAction | null>(null);
  const [creating, setCreating] = useState(false);
  const [schedule, setSchedule] = useState(false);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  /** The last export, said where the list is (a notice alone is gone in a few seconds). */
  const [exported, setExported] = useState<{ file: string; count: number; deck: string } | null>(null);

  const exportDeck = async (deckName: string, format: ExportFormat) => {
    setBusy(true);
    try {
      // Anki gets Mermaid diagrams as SVG images, drawn here in Chromium (the services have no DOM).
      const diagrams = format === 'apkg' ? await renderDiagramsToSvg(await api['decks.diagrams']({ deckName })) : undefined;
      const file = await api['decks.export']({ deckName, format, includeSchedule: schedule, diagrams });
      saveDownload(file.fileName, file.mime, file.data);
      setExported({ file: file.fileName, count: file.notes, deck: deckName });
      notify({ text: t('decks.exported', { file: file.fileName, count: file.notes }) });
      if (file.mermaidNotes) notify({ text: t('decks.exportedMermaid', { count: file.mermaidNotes }) });
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  const create = async (name: string) => {
    const made = await api['decks.create']({ name });
    setCreating(false);
    onChanged();
    tree.focusAfterReload(made.deckId);
    undo.offer(t('deckTree.created', { name: made.name }));
  };
  const newDeck = creating ? (
    <DeckNameForm label={t('deckTree.newName')} initial="" submitLabel={t('deckTree.create')} testId="deck-new-form" onSubmit={create} onCancel={() => setCreating(false)} />
  ) : (
    <button type="button" className="button" onClick={() => setCreating(true)} data-testid="deck-create">
      + {t('deckTree.new')}
    </button>
  );

  if (decks.length === 0)
    return (
      <div className="decks-list">
        <p className="decks-empty">{t('decks.empty')}</p>
        {newDeck}
      </div>
    );
  return (
    <div className="decks-list">
      <div className="decks-toolbar">
        {newDeck}
        <label className="decks-schedule">
          <input type="checkbox" checked={schedule} onChange={(e) => setSchedule(e.target.checked)} data-testid="export-schedule" />
          {t('decks.includeSchedule')}
        </label>
      </div>
      <p className="decks-keys" id="decks-keys">
        {t('deckTree.keys')}
      </p>
      <table className="decks-tree">
        <thead>
          <tr>
            <th>{t('decks.columns.name')}</th>
            <th>{t('decks.columns.notes')}</th>
            <th>{t('decks.columns.cards')}</th>
            <th>{t('decks.columns.new')}</th>
            <th>{t('decks.columns.learning')}</th>
            <th>{t('decks.columns.due')}</th>
            <th>{t('presets.column')}</th>
            <th>{t('decks.study')}</th>
            <th>{t('deckTree.actions')}</th>
            <th>{t('decks.export')}</th>
          </tr>
        </thead>
        <tbody>
          {tree.rows.map((node) => {
            const deck = node.deck;
            return (
              <Fragment key={deck.id}>
                <tr data-testid="deck-row" data-deck={deck.name} data-depth={node.depth} aria-level={node.depth + 1}>
                  <td>
                    <div className="deck-tree-name" style={{ paddingInlineStart: `${node.depth * 1.25}rem` }}>
                      {node.children.length > 0 ? (
                        <button
                          type="button"
                          className="deck-tree-toggle"
                          onClick={() => tree.toggle(deck.id)}
                          aria-expanded={!tree.collapsed.has(deck.id)}
                          aria-label={t(tree.collapsed.has(deck.id) ? 'deckTree.expand' : 'deckTree.collapse', { deck: deck.name })}
                          tabIndex={-1}
                          data-testid="deck-toggle"
                        >
                          {tree.collapsed.has(deck.id) ? '▸' : '▾'}
                        </button>
                      ) : (
                        <span className="deck-tree-toggle" aria-hidden="true" />
                      )}
                      <button
                        type="button"
                        className="decks-name"
                        onClick={() => setOpen(open === deck.name ? null : deck.name)}
                        onKeyDown={(event) => tree.onKey(event, node)}
                        aria-expanded={open === deck.name}
                        aria-describedby="decks-keys"
                        title={deck.name}
                        translate="no"
                        data-deck-id={deck.id}
                        data-testid="deck-show"
                      >
                        <span>{node.label}</span>
                      </button>
                    </div>
                    {open === deck.name && <DeckNotes deckName={deck.name} />}
                  </td>
                  <td data-testid="deck-notes-count">{deck.notes}</td>
                  <td>{deck.cards}</td>
                  {/* As Today counts them (Anki's New, Learn, Due), for this deck. */}
                  <td className="deck-count kind-new" data-testid="deck-new">{deck.new}</td>
                  <td className="deck-count kind-learning" data-testid="deck-learning">{deck.learning}</td>
                  <td className="deck-count kind-review" data-testid="deck-due">{deck.review}</td>
                  <td>
                    <PresetPicker
                      deck={deck}
                      presets={presetList.presets}
                      onAssigned={() => {
                        presetList.reload();
                        onChanged();
                      }}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      disabled={deck.new + deck.learning + deck.review === 0}
                      onClick={() => navigate('review', { deckId: deck.id })}
                      aria-label={t('decks.studyDeck', { deck: deck.name })}
                      data-testid="deck-study"
                    >
                      {t('decks.study')}
                    </button>
                  </td>
                  <td className="deck-actions">
                    {(['rename', 'move', 'delete'] as const).map((kind) => (
                      <button
                        key={kind}
                        type="button"
                        className="button button-ghost small"
                        onClick={() => setAction(action?.deckId === deck.id && action.kind === kind ? null : { deckId: deck.id, kind })}
                        aria-expanded={action?.deckId === deck.id && action.kind === kind}
                        aria-label={t(`deckTree.${kind}Deck`, { deck: deck.name })}
                        data-testid={`deck-${kind}`}
                      >
                        {t(`deckTree.${kind}`)}
                      </button>
                    ))}
                  </td>
                  <td className="decks-export" aria-label={t('decks.exportAs', { deck: deck.name })}>
                    {(['proofdeck', 'apkg', 'md'] as const).map((format) => (
                      <button key={format} type="button" className="button" disabled={busy} onClick={() => void exportDeck(deck.name, format)} data-testid={`export-${format}`}>
                        .{format}
                      </button>
                    ))}
                  </td>
                </tr>
                {action?.deckId === deck.id && (
                  <DeckActionRow
                    action={action}
                    node={node}
                    decks={decks}
                    columns={10}
                    onDone={(focus) => {
                      setAction(null);
                      onChanged();
                      tree.focusAfterReload(focus);
                    }}
                    onCancel={() => {
                      setAction(null);
                      tree.focus(deck.id);
                    }}
                  />
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {exported && (
        <p className="decks-exported" role="status" data-testid="export-result">
          ✓ {t('decks.exportedSaved', { deck: exported.deck, file: exported.file, count: exported.count })}
        </p>
      )}
    </div>
  );
}

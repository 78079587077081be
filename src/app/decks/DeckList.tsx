import { useState } from 'react';
import type { DeckSummary, ExportFormat } from '../../shared/contract';
import { useApp } from '../AppContext';
import { saveDownload } from './upload';
import { DeckNotes } from './DeckNotes';
import { renderDiagramsToSvg } from './diagrams';
import { PresetPicker, usePresetList } from '../presets/PresetPicker';

/** Every deck with its counts; export in any format; a peek at its notes. */
export function DeckList({ decks, onChanged }: { decks: DeckSummary[]; onChanged?: () => void }) {
  const { api, t, notify, showError, navigate } = useApp();
  const presetList = usePresetList();
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

  if (decks.length === 0) return <p className="decks-empty">{t('decks.empty')}</p>;
  return (
    <div className="decks-list">
      <label className="decks-schedule">
        <input type="checkbox" checked={schedule} onChange={(e) => setSchedule(e.target.checked)} data-testid="export-schedule" />
        {t('decks.includeSchedule')}
      </label>
      <table>
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
            <th>{t('decks.export')}</th>
          </tr>
        </thead>
        <tbody>
          {decks.map((deck) => (
            <tr key={deck.id} data-testid="deck-row" data-deck={deck.name}>
              <td>
                <button type="button" className="decks-name" onClick={() => setOpen(open === deck.name ? null : deck.name)} aria-expanded={open === deck.name} data-testid="deck-show">
                  <span translate="no">{deck.name}</span>
                </button>
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
                    onChanged?.();
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
              <td className="decks-export" aria-label={t('decks.exportAs', { deck: deck.name })}>
                {(['proofdeck', 'apkg', 'md'] as const).map((format) => (
                  <button key={format} type="button" className="button" disabled={busy} onClick={() => void exportDeck(deck.name, format)} data-testid={`export-${format}`}>
                    .{format}
                  </button>
                ))}
              </td>
            </tr>
          ))}
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

import { useState } from 'react';
import type { AnkiNoteView, CsvMapping, ImportPreview } from '../../shared/contract';
import { useApp } from '../AppContext';
import { Markdown } from '../components/Markdown';
import { AnkiCard } from '../components/AnkiCard';
import { Warnings } from './ImportPanel';

/** How many notes the preview draws as cards. */
const sampleCount = 3;

/** The first notes as cards, rendered as review will show them (the same Markdown, math and diagrams). */
function Samples({ samples }: { samples: { front: string; back: string; anki?: AnkiNoteView }[] }) {
  const { t } = useApp();
  if (samples.length === 0) return null;
  return (
    <section className="decks-samples" data-testid="import-samples">
      <h4>{t('decks.import.samples', { count: samples.length })}</h4>
      <div className="decks-sample-list">
        {samples.map((sample, index) => (
          <article key={index} className="decks-sample" data-testid="import-sample">
            {sample.anki ? (
              // A note that keeps its Anki note type: its first card, front and back, as its template draws it.
              <>
                <AnkiCard view={sample.anki} ord={0} side="question" className="decks-sample-front" testId="import-sample-anki-front" />
                <hr />
                <AnkiCard view={sample.anki} ord={0} side="answer" className="decks-sample-back" testId="import-sample-anki-back" />
              </>
            ) : (
              <>
                <Markdown source={sample.front} className="decks-sample-front" />
                <hr />
                <Markdown source={sample.back} className="decks-sample-back" />
              </>
            )}
          </article>
        ))}
      </div>
    </section>
  );
}

interface Props {
  preview: ImportPreview;
  mapping: CsvMapping;
  hasHeader: boolean;
  onRemap(mapping: CsvMapping, hasHeader: boolean): void;
  onApply(takeTheirs: string[], all: boolean): void;
  onCancel(): void;
}

/** What an import will do, before anything is written: counts, CSV column mapping, per-note conflict choices. */
export function PreviewView({ preview, mapping, hasHeader, onRemap, onApply, onCancel }: Props) {
  const { t } = useApp();
  const [theirs, setTheirs] = useState<Set<string>>(new Set());
  const [allTheirs, setAllTheirs] = useState(false);
  const counts: [string, number, 'added' | 'cards' | 'updated' | 'unchanged' | 'conflicts'][] = [
    [t('decks.import.added'), preview.added, 'added'],
    // Cards, not only notes: one cloze note with c1…c50 is fifty cards to review.
    ...(preview.cardsAdded !== undefined ? [[t('decks.import.cards'), preview.cardsAdded, 'cards'] as [string, number, 'cards']] : []),
    [t('decks.import.updated'), preview.updated, 'updated'],
    [t('decks.import.unchanged'), preview.unchanged, 'unchanged'],
    [t('decks.import.conflicts'), preview.conflicts, 'conflicts'],
  ];
  const columns = preview.csvSample?.[0]?.length ?? 0;
  // A CSV's cards are known here, from its rows and the mapping; other formats' come from the services.
  const rows = preview.csvSample ? preview.csvSample.slice(hasHeader ? 1 : 0) : [];
  const samples = preview.csvSample
    ? rows.slice(0, sampleCount).map((row) => ({ front: row[mapping.front] ?? '', back: row[mapping.back] ?? '' }))
    : (preview.samples ?? []).slice(0, sampleCount);
  const headerName = (i: number) => (hasHeader ? preview.csvSample?.[0]?.[i] : undefined) ?? t('decks.csv.column', { number: i + 1 });
  const mappingRows: [string, string][] = preview.csvSample
    ? (['front', 'back', 'tags', 'guid'] as const).filter((role) => mapping[role] !== null).map((role) => [headerName(mapping[role] as number), t(`decks.csv.${role}`)])
    : (preview.fieldMapping ?? []).map((m) => [m.from, t(`decks.field.${m.to}`)]);
  const select = (role: keyof CsvMapping, optional: boolean) => (
    <label>
      {t(`decks.csv.${role}` as 'decks.csv.front')}
      <select
        value={mapping[role] ?? ''}
        data-testid={`csv-${role}`}
        onChange={(e) => onRemap({ ...mapping, [role]: e.target.value === '' ? null : Number(e.target.value) }, hasHeader)}
      >
        {optional && <option value="">{t('decks.csv.none')}</option>}
        {Array.from({ length: columns }, (_, i) => (
          <option key={i} value={i}>
            {t('decks.csv.column', { number: i + 1 })}: {preview.csvSample?.[0]?.[i]?.slice(0, 30)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="decks-preview" data-testid="import-preview">
      <h3>{t('decks.import.preview', { deck: preview.deckName })}</h3>
      {preview.csvSample && (
        <fieldset className="decks-mapping">
          <legend>{t('decks.csv.mapping')}</legend>
          {select('front', false)}
          {select('back', false)}
          {select('tags', true)}
          {select('guid', true)}
          <label>
            <input type="checkbox" checked={hasHeader} onChange={(e) => onRemap(mapping, e.target.checked)} />
            {t('decks.csv.header')}
          </label>
        </fieldset>
      )}
      {mappingRows.length > 0 && (
        <div className="decks-field-mapping" data-testid="import-field-mapping">
          <p className="decks-field-mapping-title">{t('decks.import.fieldMapping')}</p>
          <table>
          <tbody>
            {mappingRows.map(([from, to]) => (
              <tr key={`${from}-${to}`}>
                <td translate="no">{from}</td>
                <td aria-hidden="true">→</td>
                <td>{to}</td>
              </tr>
            ))}
          </tbody>
          </table>
        </div>
      )}
      <Samples samples={samples} />
      <dl className="decks-counts">
        {counts.map(([label, value, key]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`preview-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {(preview.media.added > 0 || preview.media.updated > 0) && <p>{t('decks.import.media', { added: preview.media.added, updated: preview.media.updated })}</p>}
      {preview.hasSchedule && <p>{t('decks.import.schedule')}</p>}
      {(preview.cardsRemoved ?? 0) > 0 && (
        <p className="decks-error" data-testid="preview-cards-removed">
          {t('decks.import.cardsRemoved', { count: preview.cardsRemoved ?? 0 })}
        </p>
      )}
      <Warnings warnings={preview.warnings} />
      {preview.conflictNotes.length > 0 && (
        <div className="decks-conflicts">
          <p>{t('decks.import.conflictHelp')}</p>
          <label>
            <input type="checkbox" checked={allTheirs} onChange={(e) => setAllTheirs(e.target.checked)} data-testid="conflicts-all-theirs" />
            {t('decks.import.takeTheirs')}
          </label>
          <ul>
            {preview.conflictNotes.map((conflict) => (
              <li key={conflict.guid} data-testid="conflict-row">
                <div className="decks-conflict-side">
                  <strong>{t('decks.import.mine')}</strong> {conflict.localFront.slice(0, 200)}
                </div>
                <div className="decks-conflict-side">
                  <strong>{t('decks.import.theirs')}</strong> {conflict.incomingFront.slice(0, 200)}
                </div>
                <label>
                  <input
                    type="radio"
                    name={`conflict-${conflict.guid}`}
                    checked={!allTheirs && !theirs.has(conflict.guid)}
                    disabled={allTheirs}
                    onChange={() => setTheirs((s) => new Set([...s].filter((g) => g !== conflict.guid)))}
                  />
                  {t('decks.import.keepMine')}
                </label>
                <label>
                  <input
                    type="radio"
                    name={`conflict-${conflict.guid}`}
                    checked={allTheirs || theirs.has(conflict.guid)}
                    disabled={allTheirs}
                    onChange={() => setTheirs((s) => new Set([...s, conflict.guid]))}
                  />
                  {t('decks.import.takeTheirs')}
                </label>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="decks-actions">
        <button type="button" className="button button-primary" onClick={() => onApply([...theirs], allTheirs)} data-testid="import-apply">
          {t('decks.import.apply')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('decks.import.cancel')}
        </button>
      </div>
    </div>
  );
}

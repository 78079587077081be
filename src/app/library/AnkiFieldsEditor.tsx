import { useState } from 'react';
import type { AnkiNoteView } from '../../shared/contract';
import { useApp } from '../AppContext';
import { AnkiCard } from '../components/AnkiCard';
import './anki-fields.css';

interface Props {
  view: AnkiNoteView;
  /** The note's cards (ords), to preview each as its template draws it. */
  ords: number[];
  onChange(view: AnkiNoteView): void;
}

/**
 * The fields of a note drawn by its Anki note type, edited as Anki keeps them (HTML), beside its
 * cards drawn by the templates with the note type's CSS: an edit changes the fields, never the
 * note type.
 */
export function AnkiFieldsEditor({ view, ords, onChange }: Props) {
  const { t } = useApp();
  const [ord, setOrd] = useState(ords[0] ?? 0);
  const setField = (index: number, value: string) => onChange({ ...view, fields: view.fields.map((field, i) => (i === index ? { ...field, value } : field)) });
  return (
    <div className="editor-anki" data-testid="editor-anki">
      <fieldset className="editor-anki-fields">
        <legend>{t('ankiTemplate.editorFields', { name: view.name })}</legend>
        {view.fields.map((field, index) => (
          <div key={field.name} className="editor-field">
            <label htmlFor={`editor-anki-${index}`} translate="no">
              {field.name}
            </label>
            <textarea id={`editor-anki-${index}`} rows={2} value={field.value} onChange={(e) => setField(index, e.target.value)} spellCheck={false} data-testid={`editor-anki-field-${index}`} />
          </div>
        ))}
      </fieldset>
      <section className="editor-anki-preview" aria-label={t('library.editor.preview')}>
        {ords.length > 1 && (
          <select value={ord} onChange={(e) => setOrd(Number(e.target.value))} data-testid="editor-anki-card" aria-label={t('ankiTemplate.editorCard', { number: ord + 1 })}>
            {ords.map((o) => (
              <option key={o} value={o}>
                {t('ankiTemplate.editorCard', { number: o + 1 })}
              </option>
            ))}
          </select>
        )}
        <h3>{t('ankiTemplate.editorQuestion')}</h3>
        <AnkiCard view={view} ord={ord} side="question" testId="editor-anki-question" />
        <h3>{t('ankiTemplate.editorAnswer')}</h3>
        <AnkiCard view={view} ord={ord} side="answer" testId="editor-anki-answer" />
      </section>
    </div>
  );
}

import { useRef, useState, type DragEvent } from 'react';
import type { CsvMapping, ImportPreview, ImportResult } from '../../shared/contract';
import { importErrorText } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { newUploadId, uploadFile } from './upload';
import { PreviewView } from './PreviewView';

type Step =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; fraction: number }
  | { kind: 'preview'; uploadId: string; fileName: string; preview: ImportPreview }
  | { kind: 'applying'; fileName: string }
  | { kind: 'done'; result: ImportResult }
  | { kind: 'failed'; message: string };

/** Import by button or drag-and-drop: upload with progress, preview, choose conflicts, apply, show the result. */
export function ImportPanel({ onImported }: { onImported: () => void }) {
  const { api, t } = useApp();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [mapping, setMapping] = useState<CsvMapping>({ front: 0, back: 1, tags: null, guid: null });
  const [hasHeader, setHasHeader] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const fail = (error: unknown) => setStep({ kind: 'failed', message: importErrorText(t, error) });

  const preview = async (uploadId: string, fileName: string, csv?: { mapping: CsvMapping; hasHeader: boolean }) => {
    const isCsv = /\.(csv|tsv|txt)$/i.test(fileName);
    const result = await api['decks.importPreview']({ uploadId, fileName, csv: isCsv ? (csv ?? { mapping, hasHeader }) : undefined });
    setStep({ kind: 'preview', uploadId, fileName, preview: result });
  };

  const start = async (file: File) => {
    const uploadId = newUploadId();
    setStep({ kind: 'uploading', name: file.name, fraction: 0 });
    try {
      await uploadFile(api, uploadId, file, (fraction) => setStep({ kind: 'uploading', name: file.name, fraction }));
      await preview(uploadId, file.name);
    } catch (error) {
      fail(error);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void start(file);
  };

  const apply = async (takeTheirs: string[], all: boolean) => {
    if (step.kind !== 'preview') return;
    const { uploadId, fileName, preview: current } = step;
    setStep({ kind: 'applying', fileName });
    try {
      const result = await api['decks.importApply']({
        uploadId,
        fileName,
        csv: current.format === 'csv' ? { mapping, hasHeader } : undefined,
        choices: { default: all ? 'take-theirs' : 'keep-mine', takeTheirs },
      });
      setStep({ kind: 'done', result });
      onImported();
    } catch (error) {
      fail(error);
    }
  };

  const remap = (next: CsvMapping, header: boolean) => {
    setMapping(next);
    setHasHeader(header);
    if (step.kind === 'preview') preview(step.uploadId, step.fileName, { mapping: next, hasHeader: header }).catch(fail);
  };

  return (
    <section className="panel decks-import" aria-labelledby="decks-import-title">
      <h2 id="decks-import-title">{t('decks.import.title')}</h2>
      <div
        className={`decks-dropzone${dragging ? ' is-dragging' : ''}`}
        data-testid="deck-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <button type="button" className="button button-primary" onClick={() => input.current?.click()}>
          {t('decks.import.choose')}
        </button>
        <span>{t('decks.import.drop')}</span>
        <input
          ref={input}
          type="file"
          hidden
          accept=".proofdeck,.apkg,.colpkg,.csv,.tsv,.txt,.md"
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void start(file);
          }}
        />
      </div>
      {step.kind === 'uploading' && (
        <div className="decks-progress">
          <label htmlFor="decks-progress">{t('decks.import.uploading', { name: step.name })}</label>
          <progress id="decks-progress" max={1} value={step.fraction} data-testid="import-progress" />
        </div>
      )}
      {step.kind === 'applying' && <progress className="decks-progress" data-testid="import-progress" aria-label={step.fileName} />}
      {step.kind === 'preview' && (
        <PreviewView
          preview={step.preview}
          mapping={mapping}
          hasHeader={hasHeader}
          onRemap={remap}
          onApply={(takeTheirs, all) => void apply(takeTheirs, all)}
          onCancel={() => setStep({ kind: 'idle' })}
        />
      )}
      {step.kind === 'done' && (
        <div role="status" className="decks-result" data-testid="import-result">
          <p>
            {t('decks.import.done', {
              deck: step.result.deckName,
              added: step.result.added,
              updated: step.result.updated + step.result.conflictsTaken,
              unchanged: step.result.unchanged,
              kept: step.result.conflictsKept,
              taken: step.result.conflictsTaken,
            })}
          </p>
          <Warnings warnings={step.result.warnings} />
        </div>
      )}
      {step.kind === 'failed' && (
        <p role="alert" className="decks-error" data-testid="import-error">
          {step.message}
        </p>
      )}
    </section>
  );
}

export function Warnings({ warnings }: { warnings: ImportPreview['warnings'] }) {
  const { t } = useApp();
  if (!warnings.length) return null;
  return (
    <ul className="decks-warnings" data-testid="import-warnings">
      {warnings.map((w) => (
        <li key={w.code} data-code={w.code}>
          {t.dynamic(`decks.warning.${w.code}`, { count: w.count })}
        </li>
      ))}
    </ul>
  );
}

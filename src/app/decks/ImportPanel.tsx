import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { CsvMapping, ImportPreview, ImportResult } from '../../shared/contract';
import { importErrorText } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { newUploadId, uploadFile } from './upload';
import { PreviewView } from './PreviewView';
import { openedFiles, useOpenedFiles } from './opened-files';

type Step =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; fraction: number }
  | { kind: 'preview'; uploadId: string; fileName: string; preview: ImportPreview; opened?: boolean }
  | { kind: 'applying'; fileName: string }
  | { kind: 'done'; result: ImportResult }
  | { kind: 'failed'; message: string }
  /** A file opened from the operating system, being read for its preview. */
  | { kind: 'opening'; fileName: string };

type Earlier = { result: ImportResult } | { message: string };

/**
 * Import by button, drag-and-drop or from the operating system (a deck file double-clicked, see
 * opened-files.ts): upload with progress, preview, choose conflicts, apply, show the result.
 */
export function ImportPanel({ onImported, focus = false }: { onImported: () => void; /** Opened to import (the command palette): its button takes the focus. */ focus?: boolean }) {
  const { api, t } = useApp();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [mapping, setMapping] = useState<CsvMapping>({ front: 0, back: 1, tags: null, guid: null });
  const [hasHeader, setHasHeader] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);
  const chooseButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!focus) return;
    panel.current?.scrollIntoView?.({ block: 'nearest' });
    chooseButton.current?.focus();
  }, [focus]);
  const fail = (error: unknown) => setStep({ kind: 'failed', message: importErrorText(t, error) });
  const waiting = useOpenedFiles();
  /** What the steps before an opened file said (a result, an error), still worth reading. */
  const [earlier, setEarlier] = useState<Earlier[]>([]);

  const preview = async (uploadId: string, fileName: string, csv?: { mapping: CsvMapping; hasHeader: boolean }, opened = false) => {
    const isCsv = /\.(csv|tsv|txt)$/i.test(fileName);
    const result = await api['decks.importPreview']({ uploadId, fileName, csv: isCsv ? (csv ?? { mapping, hasHeader }) : undefined });
    setStep({ kind: 'preview', uploadId, fileName, preview: result, opened });
  };

  // A file opened from the OS is shown when nothing else is under way; a preview the user is
  // reading is not replaced: the next file waits (and is named) until they import or cancel.
  const idle = step.kind === 'idle' || step.kind === 'failed' || step.kind === 'done';
  useEffect(() => {
    if (!idle || waiting.length === 0) return;
    const file = openedFiles.take();
    if (!file) return;
    if (step.kind === 'done') setEarlier((list) => [...list, { result: step.result }].slice(-5));
    if (step.kind === 'failed') setEarlier((list) => [...list, { message: step.message }].slice(-5));
    panel.current?.scrollIntoView?.({ block: 'nearest' });
    if (file.error || !file.uploadId) {
      const reason = importErrorText(t, file.error ?? {});
      setStep({ kind: 'failed', message: t('decks.open.failed', { file: file.fileName, reason }) });
      return;
    }
    setStep({ kind: 'opening', fileName: file.fileName });
    preview(file.uploadId, file.fileName, undefined, true).catch((error: unknown) =>
      setStep({ kind: 'failed', message: t('decks.open.failed', { file: file.fileName, reason: importErrorText(t, error) }) }),
    );
    // `step` and `preview` are read as they are when a file is taken; re-running when they change
    // would only take the next file early.
  }, [idle, waiting, t]);

  const start = async (file: File) => {
    const uploadId = newUploadId();
    setEarlier([]);
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
    if (step.kind === 'preview') preview(step.uploadId, step.fileName, { mapping: next, hasHeader: header }, step.opened).catch(fail);
  };

  return (
    <section ref={panel} className="panel decks-import" aria-labelledby="decks-import-title">
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
        <button ref={chooseButton} type="button" className="button button-primary" onClick={() => input.current?.click()} data-testid="import-choose">
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
      {step.kind === 'opening' && (
        <div className="decks-progress">
          <label htmlFor="decks-opening">{t('decks.import.uploading', { name: step.fileName })}</label>
          <progress id="decks-opening" data-testid="import-progress" />
        </div>
      )}
      {earlier.map((said, index) =>
        'result' in said ? (
          <ResultText key={index} result={said.result} />
        ) : (
          <p key={index} role="alert" className="decks-error" data-testid="import-error">
            {said.message}
          </p>
        ),
      )}
      {step.kind === 'preview' && step.opened && (
        <p className="decks-opened" data-testid="import-opened">
          {t('decks.open.from', { file: step.fileName })}
        </p>
      )}
      {step.kind === 'preview' && waiting.length > 0 && (
        <p className="decks-opened" data-testid="import-waiting">
          {t('decks.open.waiting', { count: waiting.length, files: waiting.map((file) => file.fileName).join(', ') })}
        </p>
      )}
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
          <ResultText result={step.result} />
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

function ResultText({ result }: { result: ImportResult }) {
  const { t } = useApp();
  return (
    <p>
      {t('decks.import.done', {
        deck: result.deckName,
        added: result.added,
        updated: result.updated + result.conflictsTaken,
        unchanged: result.unchanged,
        kept: result.conflictsKept,
        taken: result.conflictsTaken,
      })}
      {(result.cardsAdded ?? 0) + (result.cardsRemoved ?? 0) > 0 && (
        <> {t('decks.import.cardsChanged', { added: result.cardsAdded ?? 0, removed: result.cardsRemoved ?? 0 })}</>
      )}
    </p>
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

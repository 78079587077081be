import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunRecord } from '../../shared/contract';
import { findMeta } from '../../experiments/catalog';
import type { ExperimentMeta } from '../../experiments/types';
import { useApp } from '../AppContext';
import type { AnswerExtraProps } from '../answer-extras';
import { Kbd } from '../components/Kbd';
import { isEditable, isPlainKey, useKeydown } from '../keyboard';
import { ParamsForm } from './ParamsForm';
import { RunHistory } from './RunHistory';
import { RunOutcome } from './ResultView';
import { RunStatus } from './RunStatus';
import { useExperimentRun } from './useExperimentRun';
import './experiments.css';

/** The card's params (from its ```prove block) within the experiment's bounds, else the defaults. */
export function initialParams(meta: ExperimentMeta, fromCard: Record<string, unknown> | null): Record<string, unknown> {
  const parsed = meta.params.safeParse(fromCard ?? {});
  return (parsed.success ? parsed.data : meta.params.parse({})) as Record<string, unknown>;
}

/** How many past runs of the experiment the card lists (the Lab lists more). */
const historyLimit = 20;

/**
 * Prove it: beside an answer, the experiment that backs it. Runs it on the user's GPU with the
 * card's params (adjustable within bounds); the progress shows beside the button, where the user
 * clicked; then the evidence. The history is the experiment's, as in the Lab, with this card's
 * runs marked; the last finished one shows until the user runs it again.
 */
export function ProveItPanel({ card }: AnswerExtraProps) {
  const { api, t, locale } = useApp();
  const meta = card.experimentId ? findMeta(card.experimentId) : undefined;
  const [params, setParams] = useState<Record<string, unknown>>(() => (meta ? initialParams(meta, card.experimentParams) : {}));
  const [history, setHistory] = useState<RunRecord[]>([]);
  const [shown, setShown] = useState<RunRecord | null>(null);
  const header = useRef<HTMLElement>(null);

  const refresh = useCallback(async () => {
    if (!meta) return;
    const runs = await api['experiments.history']({ experimentId: meta.id, limit: historyLimit });
    setHistory(runs);
    return runs;
  }, [api, meta]);

  const { state, start, cancel, retry, reset } = useExperimentRun(() => void refresh());

  useEffect(() => {
    if (!meta) return;
    setParams(initialParams(meta, card.experimentParams));
    setShown(null);
    reset();
    // The last finished result (this card's first, else the Lab's) is shown until the user runs it again.
    void refresh().then(async (runs) => {
      const done = runs?.filter((run) => run.status === 'done') ?? [];
      const last = done.find((run) => run.noteId === card.noteId) ?? done[0];
      if (last) setShown(await api['experiments.get']({ runId: last.id }));
    });
  }, [card.cardId, card.noteId, meta, card.experimentParams, refresh, reset, api]);

  const busy = state.phase === 'starting' || state.phase === 'running';
  const run = useCallback(
    (backend?: 'webgpu' | 'cpu-reference') => {
      if (!meta || busy) return;
      setShown(null);
      void start({ experimentId: meta.id, params, noteId: card.noteId, backend });
      // The progress appears in the header: keep it on screen above the grade bar.
      requestAnimationFrame(() => header.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
    },
    [meta, busy, params, card.noteId, start],
  );

  // `p` proves the answer on screen (the review keys stay with the review).
  useKeydown((event) => {
    if (event.defaultPrevented || isEditable(event.target) || !isPlainKey(event) || event.key !== 'p') return;
    event.preventDefault();
    run();
  });

  const open = useCallback(async (record: RunRecord) => setShown(await api['experiments.get']({ runId: record.id })), [api]);
  const outcome = useMemo(() => state.record ?? shown, [state.record, shown]);

  if (!meta) return null;
  const noGpu = state.record?.status === 'failed' && state.record.error?.code === 'gpu-unavailable';
  const fromThisCard = history.filter((r) => r.noteId === card.noteId).length;
  return (
    <div className="prove-it-panel" lang={locale} data-experiment-id={meta.id}>
      <header className="prove-it-header" ref={header}>
        <div>
          <h3>{meta.title[locale]}</h3>
          {!outcome || busy ? (
            <p className="experiment-claim">
              <span className="experiment-label">{t('experiments.claim')}</span> {meta.claim[locale]}
            </p>
          ) : null}
        </div>
        <div className="prove-it-action">
          {busy ? (
            <RunStatus state={state} onCancel={() => void cancel()} onRetry={() => void retry(params)} />
          ) : (
            <button type="button" className="primary" data-testid="prove-it" onClick={() => run()} aria-keyshortcuts="p">
              {outcome ? t('experiments.runAgain') : t('experiments.proveIt')} <Kbd>p</Kbd>
            </button>
          )}
        </div>
      </header>
      {!busy ? <RunStatus state={state} onCancel={() => void cancel()} onRetry={() => void retry(params)} /> : null}
      <details className="experiment-params-box">
        <summary>{t('experiments.params')}</summary>
        <ParamsForm meta={meta} values={params} onChange={setParams} disabled={busy} />
      </details>
      {!busy && outcome ? (
        <>
          {!state.record ? (
            <p className="experiment-muted">
              {t('experiments.lastResult')}
              {outcome.noteId !== card.noteId ? ` · ${t('experiments.fromLab')}` : ''}
            </p>
          ) : null}
          <RunOutcome record={outcome} />
        </>
      ) : null}
      {noGpu && meta.cpuReference ? (
        <button type="button" onClick={() => run('cpu-reference')}>
          {t('experiments.runOnCpu')}
        </button>
      ) : null}
      <details className="experiment-history-box" open={history.length > 0 && history.length <= 5}>
        <summary>
          {t('experiments.historyOfExperiment', { count: history.length, card: fromThisCard })}
        </summary>
        <RunHistory runs={history} onOpen={(r) => void open(r)} thisNote={card.noteId} />
      </details>
    </div>
  );
}

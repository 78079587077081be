import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunRecord } from '../../shared/contract';
import { findMeta } from '../../experiments/catalog';
import type { ExperimentMeta } from '../../experiments/types';
import { useApp } from '../AppContext';
import type { AnswerExtraProps } from '../answer-extras';
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

/**
 * Prove it: beside an answer, the experiment that backs it. Runs it on the user's GPU with the
 * card's params (adjustable within bounds), shows progress and cancel, then the evidence (chart,
 * table, verdict, device, context); keeps the card's last result and history.
 */
export function ProveItPanel({ card }: AnswerExtraProps) {
  const { api, t, locale } = useApp();
  const meta = card.experimentId ? findMeta(card.experimentId) : undefined;
  const [params, setParams] = useState<Record<string, unknown>>(() => (meta ? initialParams(meta, card.experimentParams) : {}));
  const [history, setHistory] = useState<RunRecord[]>([]);
  const [shown, setShown] = useState<RunRecord | null>(null);

  const refresh = useCallback(async () => {
    if (!meta) return;
    const runs = await api['experiments.history']({ noteId: card.noteId, experimentId: meta.id, limit: 20 });
    setHistory(runs);
    return runs;
  }, [api, card.noteId, meta]);

  const { state, start, cancel, retry, reset } = useExperimentRun(() => void refresh());

  useEffect(() => {
    if (!meta) return;
    setParams(initialParams(meta, card.experimentParams));
    setShown(null);
    reset();
    // The card's last finished result is shown until the user runs it again.
    void refresh().then(async (runs) => {
      const last = runs?.find((run) => run.status === 'done');
      if (last) setShown(await api['experiments.get']({ runId: last.id }));
    });
  }, [card.cardId, meta, card.experimentParams, refresh, reset, api]);

  const run = useCallback(
    (backend?: 'webgpu' | 'cpu-reference') => {
      if (!meta) return;
      setShown(null);
      void start({ experimentId: meta.id, params, noteId: card.noteId, backend });
    },
    [meta, params, card.noteId, start],
  );

  const open = useCallback(async (record: RunRecord) => setShown(await api['experiments.get']({ runId: record.id })), [api]);
  const outcome = useMemo(() => state.record ?? shown, [state.record, shown]);

  if (!meta) return null;
  const busy = state.phase === 'starting' || state.phase === 'running';
  const noGpu = state.record?.status === 'failed' && state.record.error?.code === 'gpu-unavailable';
  return (
    <div className="prove-it-panel" lang={locale}>
      <header className="prove-it-header">
        <div>
          <h3>{meta.title[locale]}</h3>
          <p className="experiment-claim">
            <span className="experiment-label">{t('experiments.claim')}</span> {meta.claim[locale]}
          </p>
        </div>
        <button type="button" className="primary" data-testid="prove-it" onClick={() => run()} disabled={busy}>
          {outcome ? t('experiments.runAgain') : t('experiments.proveIt')}
        </button>
      </header>
      <details className="experiment-params-box">
        <summary>{t('experiments.params')}</summary>
        <ParamsForm meta={meta} values={params} onChange={setParams} disabled={busy} />
      </details>
      {!busy && outcome ? (
        <>
          {!state.record ? <p className="experiment-muted">{t('experiments.lastResult')}</p> : null}
          <RunOutcome record={outcome} />
        </>
      ) : null}
      <RunStatus state={state} onCancel={() => void cancel()} onRetry={() => void retry(params)} />
      {noGpu && meta.cpuReference ? (
        <button type="button" onClick={() => run('cpu-reference')}>
          {t('experiments.runOnCpu')}
        </button>
      ) : null}
      <details className="experiment-history-box" open={history.length > 0 && history.length <= 5}>
        <summary>
          {t('experiments.history')} ({history.length})
        </summary>
        <RunHistory runs={history} onOpen={(r) => void open(r)} />
      </details>
    </div>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { RunRecord } from '../../shared/contract';
import { catalog } from '../../experiments/catalog';
import type { ExperimentMeta } from '../../experiments/types';
import { useApp } from '../AppContext';
import type { ScreenProps } from '../screen-types';
import { LabCompare } from './LabCompare';
import { ParamsForm } from './ParamsForm';
import { RunHistory } from './RunHistory';
import { RunOutcome } from './ResultView';
import { RunStatus } from './RunStatus';
import { useExperimentRun } from './useExperimentRun';
import './experiments.css';

function ExperimentLab({ meta }: { meta: ExperimentMeta }) {
  const { api, t, locale } = useApp();
  const [params, setParams] = useState<Record<string, unknown>>(() => meta.params.parse({}) as Record<string, unknown>);
  const [history, setHistory] = useState<RunRecord[]>([]);
  const [shown, setShown] = useState<RunRecord | null>(null);
  const [selected, setSelected] = useState<Map<number, RunRecord | null>>(new Map());

  const refresh = useCallback(async () => setHistory(await api['experiments.history']({ experimentId: meta.id, limit: 50 })), [api, meta.id]);
  const { state, start, cancel, retry, reset } = useExperimentRun(() => void refresh());
  useEffect(() => {
    setParams(meta.params.parse({}) as Record<string, unknown>);
    setShown(null);
    setSelected(new Map());
    reset();
    void refresh();
  }, [meta, refresh, reset]);

  // The tick shows at once; the run's full result is loaded behind it for the comparison.
  const toggle = async (run: RunRecord) => {
    if (selected.has(run.id)) {
      setSelected((current) => {
        const next = new Map(current);
        next.delete(run.id);
        return next;
      });
      return;
    }
    setSelected((current) => new Map(current).set(run.id, null));
    const record = await api['experiments.get']({ runId: run.id });
    setSelected((current) => (current.has(run.id) ? new Map(current).set(run.id, record) : current));
  };
  const compared = [...selected.values()].filter((record): record is RunRecord => record !== null);
  const busy = state.phase === 'starting' || state.phase === 'running';
  const outcome = state.record ?? shown;
  return (
    <div className="lab-experiment">
      <h2>{meta.title[locale]}</h2>
      <p className="experiment-claim">
        <span className="experiment-label">{t('experiments.claim')}</span> {meta.claim[locale]}
      </p>
      <ParamsForm meta={meta} values={params} onChange={setParams} disabled={busy} />
      <div className="lab-actions">
        <button
          type="button"
          className="primary"
          data-testid="prove-it"
          disabled={busy}
          onClick={() => {
            setShown(null);
            void start({ experimentId: meta.id, params });
          }}
        >
          {t('experiments.proveIt')}
        </button>
        {meta.cpuReference ? (
          <button type="button" disabled={busy} onClick={() => void start({ experimentId: meta.id, params, backend: 'cpu-reference' })}>
            {t('experiments.runOnCpu')}
          </button>
        ) : null}
      </div>
      {!busy && outcome ? <RunOutcome record={outcome} /> : null}
      <RunStatus state={state} onCancel={() => void cancel()} onRetry={() => void retry(params)} />
      <h3>{t('experiments.history')}</h3>
      <p className="experiment-muted">{t('experiments.lab.compareHint')}</p>
      <RunHistory runs={history} onOpen={async (run) => setShown(await api['experiments.get']({ runId: run.id }))} selected={new Set(selected.keys())} onToggle={(run) => void toggle(run)} />
      {compared.length >= 2 ? (
        <>
          <h3>{t('experiments.lab.compare')}</h3>
          <LabCompare runs={compared} />
        </>
      ) : null}
    </div>
  );
}

/** The Lab: every experiment, to run freely with any params and to compare runs across devices. */
export function LabScreen({ params }: ScreenProps) {
  const { t, locale } = useApp();
  const initial = typeof params.experiment === 'string' ? params.experiment : catalog[0].id;
  const [selectedId, setSelectedId] = useState(initial);
  const meta = catalog.find((m) => m.id === selectedId) ?? catalog[0];
  return (
    <div className="lab-screen">
      <h1>{t('experiments.lab.title')}</h1>
      <p className="experiment-muted">{t('experiments.lab.intro')}</p>
      <div className="lab-layout">
        <nav className="lab-list" aria-label={t('experiments.lab.title')}>
          <ul>
            {catalog.map((m) => (
              <li key={m.id}>
                <button type="button" aria-current={m.id === meta.id ? 'true' : undefined} onClick={() => setSelectedId(m.id)} data-experiment={m.id}>
                  {m.title[locale]}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <ExperimentLab meta={meta} />
      </div>
    </div>
  );
}

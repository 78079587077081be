import { useEffect, useRef, useState } from 'react';
import { translateError } from '../../shared/i18n';
import { useApp } from '../AppContext';
import type { RunState } from './useExperimentRun';

/** Below this much progress or time, an estimate of what is left would be a guess. */
const estimateAfter = { fraction: 0.05, ms: 3000 };

/** Seconds left at the pace so far, once the run is long enough to say. */
export function secondsLeft(fraction: number, elapsedMs: number): number | null {
  if (fraction < estimateAfter.fraction || elapsedMs < estimateAfter.ms || fraction >= 1) return null;
  return Math.max(1, Math.round((elapsedMs * (1 - fraction)) / fraction / 1000));
}

/** Milliseconds since the run began, ticking once a second while it runs. */
function useElapsed(running: boolean): number {
  const startedAt = useRef<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  if (running && startedAt.current === null) startedAt.current = Date.now();
  if (!running) startedAt.current = null;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return startedAt.current === null ? 0 : Math.max(0, now - startedAt.current);
}

/** Progress bar, what is running, the time left on a long run, and the cancel button. */
function RunProgress({ fraction, message, queued, onCancel }: { fraction: number; message: string; queued: boolean; onCancel(): void }) {
  const { t, locale } = useApp();
  const elapsed = useElapsed(true);
  const percent = Math.round(fraction * 100);
  const left = queued ? null : secondsLeft(fraction, elapsed);
  return (
    <div className="experiment-progress" data-testid="experiment-progress" role="status">
      <div className="experiment-progress-row">
        <progress max={1} value={fraction} aria-label={t('experiments.running', { percent })} />
        <button type="button" onClick={onCancel} data-testid="experiment-cancel">
          {t('experiments.cancel')}
        </button>
      </div>
      <span className="experiment-muted">
        {queued ? t('experiments.queued') : t('experiments.running', { percent })}
        {left !== null ? <span data-testid="experiment-eta"> · {t('experiments.timeLeft', { seconds: left })}</span> : null}
        {/* The engine reports its steps in English; the Korean UI shows the figures only. */}
        {!queued && message && locale === 'en' ? <span className="experiment-progress-message"> — {message}</span> : null}
      </span>
    </div>
  );
}

function TryAgain({ onRetry }: { onRetry(): void }) {
  const { t } = useApp();
  return (
    <div className="experiment-retry">
      <button type="button" onClick={onRetry} data-testid="experiment-retry">
        {t('experiments.tryAgain')}
      </button>
    </div>
  );
}

/**
 * A run's state between start and result, in Prove it and the Lab alike: its progress, why it
 * could not start or be followed, and Try again after a run that failed or was cancelled.
 */
export function RunStatus({ state, onCancel, onRetry }: { state: RunState; onCancel(): void; onRetry(): void }) {
  const { t } = useApp();
  if (state.phase === 'starting' || state.phase === 'running') {
    return <RunProgress fraction={state.fraction} message={state.message} queued={state.phase === 'starting'} onCancel={onCancel} />;
  }
  if (state.startError) {
    return (
      <>
        <div className="experiment-verdict run-failed" data-testid="experiment-verdict" data-outcome="none" role="alert">
          {translateError(t, state.startError)}
        </div>
        <TryAgain onRetry={onRetry} />
      </>
    );
  }
  if (state.record && (state.record.status === 'failed' || state.record.status === 'cancelled')) return <TryAgain onRetry={onRetry} />;
  return null;
}

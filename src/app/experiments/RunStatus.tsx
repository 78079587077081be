import { translateError } from '../../shared/i18n';
import { useApp } from '../AppContext';
import type { RunState } from './useExperimentRun';

/** Progress bar and cancel button of a run in flight. */
function RunProgress({ fraction, message, queued, onCancel }: { fraction: number; message: string; queued: boolean; onCancel(): void }) {
  const { t } = useApp();
  const percent = Math.round(fraction * 100);
  return (
    <div className="experiment-progress" data-testid="experiment-progress">
      <div className="experiment-progress-row">
        <progress max={1} value={fraction} aria-label={t('experiments.running', { percent })} />
        <button type="button" onClick={onCancel} data-testid="experiment-cancel">
          {t('experiments.cancel')}
        </button>
      </div>
      <span className="experiment-muted">{queued ? t('experiments.queued') : `${t('experiments.running', { percent })} ${message}`}</span>
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
        <div className="experiment-verdict fails" data-testid="experiment-verdict" role="alert">
          {translateError(t, state.startError)}
        </div>
        <TryAgain onRetry={onRetry} />
      </>
    );
  }
  if (state.record && (state.record.status === 'failed' || state.record.status === 'cancelled')) return <TryAgain onRetry={onRetry} />;
  return null;
}

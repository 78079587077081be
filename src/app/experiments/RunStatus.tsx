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

/** A run's state between start and result, in Prove it and the Lab alike: its progress, or why it could not start. */
export function RunStatus({ state, onCancel }: { state: RunState; onCancel(): void }) {
  const { t } = useApp();
  if (state.phase === 'starting' || state.phase === 'running') {
    return <RunProgress fraction={state.fraction} message={state.message} queued={state.phase === 'starting'} onCancel={onCancel} />;
  }
  if (!state.startError) return null;
  return (
    <div className="experiment-verdict fails" data-testid="experiment-verdict" role="alert">
      {translateError(t, state.startError)}
    </div>
  );
}

import type { RunRecord } from '../../shared/contract';
import { useApp } from '../AppContext';
import { outcomeIcon } from './OutcomeBadge';

/** Past runs, newest first: when, status, verdict, device; click to open one. */
export function RunHistory({
  runs,
  onOpen,
  selected,
  onToggle,
  thisNote,
}: {
  runs: RunRecord[];
  onOpen(run: RunRecord): void;
  /** With `onToggle`, rows get a checkbox (the Lab's comparison). */
  selected?: ReadonlySet<number>;
  onToggle?(run: RunRecord): void;
  /** On a card: its note, so the runs started from it are told from the Lab's. */
  thisNote?: number;
}) {
  const { t, locale } = useApp();
  if (runs.length === 0) return <p className="experiment-muted">{t('experiments.noHistory')}</p>;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <ul className="experiment-history" data-testid="experiment-history">
      {runs.map((run) => (
        <li key={run.id} data-run-id={run.id} className={`status-${run.status}`}>
          {onToggle ? (
            <input
              type="checkbox"
              aria-label={`#${run.id}`}
              checked={selected?.has(run.id) ?? false}
              disabled={run.status !== 'done'}
              onChange={() => onToggle(run)}
            />
          ) : null}
          <button type="button" className="link-button" onClick={() => onOpen(run)}>
            <span className="experiment-when">{when.format(run.startedAt)}</span>
            <span className={`experiment-status ${run.verdict ? `outcome-${run.verdict.outcome}` : ''}`} data-outcome={run.verdict?.outcome ?? 'none'}>
              {run.verdict && run.status === 'done' ? (
                <>
                  <span aria-hidden="true">{outcomeIcon[run.verdict.outcome]}</span> {t(`experiments.outcome.${run.verdict.outcome}`)}
                </>
              ) : (
                t(`experiments.status.${run.status}`)
              )}
            </span>
            <span className="experiment-history-device" translate="no">
              {run.device ? run.device.name : ''}
            </span>
            {run.device?.backend === 'cpu-reference' ? <span className="experiment-badge">{t('experiments.cpuShort')}</span> : null}
            {thisNote !== undefined ? (
              <span className="experiment-badge">{run.noteId === thisNote ? t('experiments.fromThisCard') : run.noteId === null ? t('experiments.fromLab') : t('experiments.fromOtherCard')}</span>
            ) : null}
            {run.wallMs !== null ? <span className="experiment-muted">{t('experiments.took', { seconds: (run.wallMs / 1000).toFixed(1) })}</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}

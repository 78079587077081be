import { useEffect, useRef } from 'react';
import type { Translate } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { Kbd } from '../components/Kbd';
import type { SessionStats } from '../review/useReviewSession';

/** "3m 12s" / "45s" in English, "3분 12초" in Korean. */
export function formatDuration(ms: number, t: Translate): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return t('review.duration.hours', { hours, minutes: minutes % 60 });
  if (minutes > 0) return t('review.duration.minutes', { minutes, seconds: seconds % 60 });
  return t('review.duration.seconds', { seconds });
}

interface SessionSummaryProps {
  stats: SessionStats;
  canUndo: boolean;
  undo(): void;
}

/** The end of a session: how many reviewed, how many forgotten, the time; Enter goes back to Today. */
export function SessionSummary({ stats, canUndo, undo }: SessionSummaryProps) {
  const { t, navigate } = useApp();
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  const elapsed = (stats.endedAt ?? Date.now()) - stats.startedAt;
  const perCard = stats.reviewed > 0 ? Math.round(elapsed / stats.reviewed / 1000) : 0;
  return (
    <section className="screen screen-summary" aria-labelledby="summary-title">
      <div className="panel summary" data-testid="session-summary">
        <h1 id="summary-title">{stats.reviewed > 0 ? t('review.summary.title') : t('review.summary.nothing')}</h1>
        {stats.reviewed > 0 && (
          <dl className="summary-figures">
            <div>
              <dt>{t('review.summary.reviewed', { count: stats.reviewed })}</dt>
              <dd data-testid="summary-reviewed">{stats.reviewed}</dd>
            </div>
            <div>
              <dt>{t('review.summary.again')}</dt>
              <dd data-testid="summary-again" className="kind-learning">
                {stats.again}
              </dd>
            </div>
            <div>
              <dt>{t('review.summary.time')}</dt>
              <dd data-testid="summary-time">{formatDuration(elapsed, t)}</dd>
            </div>
          </dl>
        )}
        {stats.reviewed > 0 && <p className="hint">{t('review.summary.perCard', { seconds: perCard })}</p>}
        <div className="summary-actions">
          <button ref={back} type="button" className="button button-primary" data-testid="back-to-today" onClick={() => navigate('today')}>
            {t('review.summary.back')}
          </button>
          {canUndo && (
            <button type="button" className="button button-ghost" data-testid="undo" onClick={undo}>
              {t('review.undo')} <Kbd>u</Kbd>
            </button>
          )}
        </div>
      </div>
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { TodaySummary } from '../../shared/contract';
import { translateError } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { dropPrefetched, hasPrefetched, prefetch, takePrefetched } from '../prefetch';
import { firstCardFreshMs, firstCardKey } from '../review/useReviewSession';
import { Kbd } from '../components/Kbd';
import { isActivatable, isEditable, isPlainKey, useKeydown } from '../keyboard';

/** Counts prefetched at start are used only this soon after (a later visit asks again). */
const todayFreshMs = 5_000;

/** What is due now, by kind, the streak and today's reviews; Enter starts the session. */
export function TodayScreen() {
  const { api, t, navigate, locale, undo } = useApp();
  const [summary, setSummary] = useState<TodaySummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const startButton = useRef<HTMLButtonElement>(null);

  const load = () => {
    setError(null);
    (takePrefetched<TodaySummary>('review.today', todayFreshMs) ?? api['review.today']({})).then(setSummary, setError);
  };
  useEffect(load, [api]);
  // An undo or redo from here (u, Ctrl+Z, a notice) changes what is due.
  useEffect(() => undo.onApplied(() => api['review.today']({}).then(setSummary, setError)), [api, undo]);
  useEffect(() => {
    if (summary && summary.dueNow > 0) startButton.current?.focus();
    // The session's first card loads while the user looks at Today; Review takes it if fresh.
    if (summary && summary.dueNow > 0 && !hasPrefetched(firstCardKey(locale), firstCardFreshMs)) prefetch(firstCardKey(locale), api['review.next']({ locale }));
  }, [summary, api, locale]);
  // Leaving Today for anything but the session (which takes the card at once) drops it: the
  // other screen may change what comes first.
  useEffect(() => () => void setTimeout(() => dropPrefetched(firstCardKey(locale)), 0), [locale]);

  const canStart = summary !== null && summary.dueNow > 0;
  const start = () => navigate('review');
  useKeydown((event) => {
    if (event.key !== 'Enter' || !isPlainKey(event) || event.defaultPrevented) return;
    if (isEditable(event.target) || isActivatable(event.target)) return;
    if (!canStart) return;
    event.preventDefault();
    start();
  });

  if (error) {
    return (
      <section className="screen screen-today">
        <div className="panel" role="alert">
          <p>{translateError(t, error)}</p>
          <button type="button" className="button" onClick={load}>
            {t('app.retry')}
          </button>
        </div>
      </section>
    );
  }
  if (!summary) return <section className="screen screen-today" aria-busy="true" />;

  const { counts } = summary;
  return (
    <section className="screen screen-today" aria-labelledby="today-title">
      <header className="screen-header">
        <h1 id="today-title">{t('today.title')}</h1>
      </header>
      <div className="today-hero panel">
        <div className="due-now">
          <span className="due-number" data-testid="due-count">
            {summary.dueNow}
          </span>
          <span className="due-label">{t('today.dueNow', { count: summary.dueNow })}</span>
        </div>
        <dl className="due-kinds">
          <div className="due-kind kind-learning">
            <dt>{t('today.learning')}</dt>
            <dd data-testid="due-learning">{counts.learning}</dd>
          </div>
          <div className="due-kind kind-review">
            <dt>{t('today.review')}</dt>
            <dd data-testid="due-review">{counts.review}</dd>
          </div>
          <div className="due-kind kind-new">
            <dt>{t('today.new')}</dt>
            <dd data-testid="due-new">{counts.new}</dd>
          </div>
        </dl>
        {canStart ? (
          <div className="start-row">
            <button ref={startButton} type="button" className="button button-primary button-large" data-testid="start-review" onClick={start}>
              {t('today.start')}
            </button>
            <span className="hint">
              <Kbd>Enter</Kbd> {t('today.startHint')}
            </span>
          </div>
        ) : (
          <p className="today-done" data-testid="today-done">
            {summary.totalCards === 0 ? t('today.empty') : summary.newLeft > 0 ? t('today.allDoneNewLeft', { count: summary.newLeft }) : t('today.allDone')}
          </p>
        )}
      </div>
      <ul className="today-stats">
        <li data-testid="streak">{summary.streak > 0 ? t('today.streak', { count: summary.streak }) : t('today.noStreak')}</li>
        <li data-testid="reviewed-today">{t('today.reviewedToday', { count: summary.reviewedToday })}</li>
        <li>{t('today.totalCards', { count: summary.totalCards })}</li>
      </ul>
    </section>
  );
}

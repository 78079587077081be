import { useEffect, useRef, useState } from 'react';
import type { CardInfo } from '../../shared/contract';
import type { MessageKey, Translate } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { chartColors, EChart, type ChartOption } from '../components/EChart';
import { questionText } from '../library/question-text';
import { flagStyle } from './CardMarks';
import { flagName } from './flags';
import './review-extras.css';

/** An interval in days in the units the grade buttons use (minutes, hours, days, months, years). */
function intervalOf(days: number, t: Translate): string {
  const round = (value: number) => String(value >= 10 ? Math.round(value) : Math.round(value * 10) / 10);
  if (days < 1 / 24) return t('review.interval.minutes', { value: Math.max(1, Math.round(days * 1440)) });
  if (days < 1) return t('review.interval.hours', { value: round(days * 24) });
  if (days < 30) return t('review.interval.days', { value: round(days) });
  if (days < 365) return t('review.interval.months', { value: round(days / 30) });
  return t('review.interval.years', { value: round(days / 365) });
}

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const ratingKey = (rating: number): MessageKey => (rating >= 1 && rating <= 4 ? (`review.grade.${rating}` as MessageKey) : 'cardInfo.rating.0');

/**
 * Anki's card info (`i` in review, and from Browse): the card, its memory state now, every review
 * with what FSRS makes of it, and a chart of the probability of recall over time with the
 * stability each review left.
 */
export function CardInfoDialog({ cardId, close }: { cardId: number; close(): void }) {
  const { api, t, locale, theme, showError } = useApp();
  const [info, setInfo] = useState<CardInfo | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    return () => previous?.focus?.();
  }, []);
  useEffect(() => {
    api['cards.info']({ cardId }).then(setInfo, (error: unknown) => {
      showError(error);
      close();
    });
  }, [api, cardId, close, showError]);
  // Escape closes the dialog only: the screen behind keeps its own Escape.
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      close();
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, [close]);

  const date = (at: number, time = false) =>
    new Date(at).toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', ...(time ? { hour: '2-digit', minute: '2-digit' } : {}) });

  const chart = (): ChartOption => {
    const c = chartColors();
    const axis = { axisLabel: { color: c.muted }, axisLine: { lineStyle: { color: c.border } }, splitLine: { lineStyle: { color: c.border } } };
    const data = info!;
    return {
      animation: false,
      grid: { left: 48, right: 56, top: 36, bottom: 28 },
      legend: { top: 0, textStyle: { color: c.text }, data: [t('cardInfo.chart.recall'), t('cardInfo.chart.stability')] },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', ...axis, splitLine: { show: false } },
      yAxis: [
        { type: 'value', min: 0, max: 1, ...axis, axisLabel: { color: c.muted, formatter: (v: number) => `${Math.round(v * 100)}%` } },
        { type: 'value', min: 0, ...axis, splitLine: { show: false }, axisLabel: { color: c.muted, formatter: (v: number) => t('cardInfo.days', { value: v }) } },
      ],
      series: [
        {
          name: t('cardInfo.chart.recall'),
          type: 'line',
          showSymbol: false,
          color: c.accent,
          areaStyle: { opacity: 0.08 },
          data: data.curve.map((p) => [p.at, p.r]),
          tooltip: { valueFormatter: (v: number) => percent(v) },
        },
        {
          name: t('cardInfo.chart.stability'),
          type: 'line',
          yAxisIndex: 1,
          color: c.review,
          symbolSize: 7,
          lineStyle: { type: 'dashed', width: 1 },
          data: data.reviews.filter((r) => r.rating > 0).map((r) => [r.at, Math.round(r.stability * 100) / 100]),
          tooltip: { valueFormatter: (v: number) => t('cardInfo.days', { value: v }) },
        },
        {
          name: t('cardInfo.chart.now'),
          type: 'line',
          showSymbol: false,
          color: c.muted,
          lineStyle: { type: 'dotted', width: 1 },
          data: [
            [data.now, 0],
            [data.now, 1],
          ],
          tooltip: { show: false },
        },
      ],
    };
  };

  const facts: [MessageKey, string][] = info
    ? [
        ['cardInfo.added', date(info.added)],
        ['cardInfo.deck', info.deck],
        ['cardInfo.state', info.suspended ? t('library.state.suspended') : t(`library.state.${info.state}` as MessageKey)],
        ['cardInfo.due', info.state === 0 ? t('cardInfo.none') : date(info.due, info.state === 1 || info.state === 3)],
        ['cardInfo.reps', String(info.reps)],
        ['cardInfo.lapses', String(info.lapses)],
        ['cardInfo.stability', info.stability === null ? t('cardInfo.none') : intervalOf(info.stability, t)],
        ['cardInfo.difficulty', info.difficulty === null ? t('cardInfo.none') : `${info.difficulty.toFixed(1)} / 10`],
        ['cardInfo.retrievability', percent(info.retrievability)],
      ]
    : [];

  return (
    <div className="overlay" onClick={close}>
      <div className="dialog card-info" role="dialog" aria-modal="true" aria-labelledby="card-info-title" data-testid="card-info" onClick={(event) => event.stopPropagation()}>
        <header className="dialog-header">
          <h2 id="card-info-title">
            {t('cardInfo.title')}
            {info && info.flag > 0 && (
              <span className="card-flag" style={{ ...flagStyle(info.flag), marginLeft: '0.5rem', fontSize: '0.8rem' }} data-testid="card-info-flag">
                <span className="flag-dot" aria-hidden="true" /> {t(flagName(info.flag))}
              </span>
            )}
            {info?.marked && <span className="card-marked" style={{ marginLeft: '0.5rem', fontSize: '0.8rem' }}>★ {t('flag.marked')}</span>}
          </h2>
          <button ref={closeButton} type="button" className="button button-ghost" onClick={close} data-testid="card-info-close">
            {t('cardInfo.close')}
          </button>
        </header>
        {!info && <p aria-busy="true">{t('cardInfo.loading')}</p>}
        {info && (
          <>
            <p className="card-info-question" translate="no">
              {questionText(info.question, null)}
            </p>
            <dl className="card-info-facts" data-testid="card-info-facts">
              {facts.map(([label, value]) => (
                <div key={label}>
                  <dt>{t(label)}</dt>
                  {/* A deck's name is the user's text, not the UI's. */}
                  <dd translate={label === 'cardInfo.deck' ? 'no' : undefined}>{value}</dd>
                </div>
              ))}
            </dl>
            {info.curve.length > 0 && <EChart option={chart} deps={[info, theme, locale]} label={t('cardInfo.chart')} testId="card-info-chart" height={220} />}
            <h3>{t('cardInfo.history')}</h3>
            {info.reviews.length === 0 ? (
              <p className="muted">{t('cardInfo.noReviews')}</p>
            ) : (
              <table className="card-info-table" data-testid="card-info-reviews">
                <thead>
                  <tr>
                    {(['date', 'rating', 'interval', 'time', 'stability', 'difficulty', 'recall'] as const).map((column) => (
                      <th key={column}>{t(`cardInfo.col.${column}`)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...info.reviews].reverse().map((review) => (
                    <tr key={review.at} data-testid="card-info-review">
                      <td>{date(review.at, true)}</td>
                      <td className={review.rating >= 1 ? `rating-${review.rating}` : undefined}>{t(ratingKey(review.rating))}</td>
                      <td>{intervalOf(review.intervalDays, t)}</td>
                      <td>{t('cardInfo.seconds', { value: (review.durationMs / 1000).toFixed(1) })}</td>
                      <td>{review.rating > 0 ? intervalOf(review.stability, t) : '—'}</td>
                      <td>{review.rating > 0 ? review.difficulty.toFixed(1) : '—'}</td>
                      <td>{percent(review.retrievability)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="card-info-note">{t('cardInfo.computed')}</p>
          </>
        )}
      </div>
    </div>
  );
}

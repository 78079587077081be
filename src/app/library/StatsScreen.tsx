import { useEffect, useState } from 'react';
import type { StatsResult } from '../../shared/contract';
import { useApp } from '../AppContext';
import { chartColors, EChart, type ChartOption } from '../components/EChart';
import { LoadSimulationChart } from '../presets/LoadSimulationChart';

const DAY_MS = 86_400_000;

function isoDay(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** Statistics: the year's reviews, what is coming, how well the user remembers, and memory shapes. */
export function StatsScreen() {
  const { api, t, locale, theme, showError } = useApp();
  const [stats, setStats] = useState<StatsResult | null>(null);
  useEffect(() => {
    api['stats.get']({}).then(setStats, showError);
  }, [api, showError]);

  if (!stats) return <section className="screen screen-stats" aria-busy="true" />;
  const deps = [stats, theme, locale];
  const axisStyle = () => {
    const c = chartColors();
    return { axisLabel: { color: c.muted }, axisLine: { lineStyle: { color: c.border } }, splitLine: { lineStyle: { color: c.border } } };
  };
  const days = (list: { dayStart: number }[]) => list.map((d) => new Date(d.dayStart).toLocaleDateString(locale, { month: 'numeric', day: 'numeric' }));

  const heatmap = (): ChartOption => {
    const c = chartColors();
    const first = stats.heatmap[0].dayStart;
    const last = stats.heatmap.at(-1)!.dayStart;
    const max = Math.max(1, ...stats.heatmap.map((d) => d.count));
    return {
      tooltip: { formatter: (p: { value: [string, number] }) => `${p.value[0]}: ${t('library.stats.totalReviews', { count: p.value[1] })}` },
      visualMap: { show: false, min: 0, max, inRange: { color: [c.surface, c.accent] } },
      calendar: {
        range: [isoDay(first), isoDay(last)],
        cellSize: ['auto', 14],
        top: 24,
        bottom: 4,
        left: 36,
        right: 8,
        itemStyle: { color: c.surface, borderColor: 'transparent', borderWidth: 2 },
        splitLine: { show: false },
        // Every other weekday label, as GitHub does: seven labels do not fit a 14 px row.
        dayLabel: { color: c.muted, fontSize: 10, nameMap: locale === 'ko' ? ['', '월', '', '수', '', '금', ''] : ['', 'Mon', '', 'Wed', '', 'Fri', ''], firstDay: 1 },
        monthLabel: { color: c.muted, nameMap: locale === 'ko' ? Array.from({ length: 12 }, (_, i) => `${i + 1}월`) : 'EN' },
        yearLabel: { show: false },
      },
      series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: stats.heatmap.map((d) => [isoDay(d.dayStart), d.count]) }],
    };
  };

  const forecast = (): ChartOption => {
    const c = chartColors();
    const labels = stats.forecast.map((_, i) => new Date(Date.now() + i * DAY_MS).toLocaleDateString(locale, { month: 'numeric', day: 'numeric' }));
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 12, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: labels, ...axisStyle() },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle() },
      series: [{ type: 'bar', name: t('library.stats.count'), data: stats.forecast, itemStyle: { color: c.review, borderRadius: [3, 3, 0, 0] } }],
    };
  };

  const daily = (): ChartOption => {
    const c = chartColors();
    const bar = (name: string, key: 'learn' | 'review' | 'relearn', color: string) => ({ type: 'bar', stack: 'reviews', name, data: stats.daily.map((d) => d[key]), itemStyle: { color } });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { color: c.muted } },
      grid: { left: 40, right: 12, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: days(stats.daily), ...axisStyle() },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle() },
      series: [bar(t('library.stats.learn'), 'learn', c.new), bar(t('library.stats.review'), 'review', c.review), bar(t('library.stats.relearn'), 'relearn', c.hard)],
    };
  };

  const minutes = (): ChartOption => {
    const c = chartColors();
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)} min` },
      grid: { left: 40, right: 12, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: days(stats.daily), ...axisStyle() },
      yAxis: { type: 'value', ...axisStyle() },
      series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: stats.daily.map((d) => Number(d.minutes.toFixed(2))), itemStyle: { color: c.accent } }],
    };
  };

  const histogram = (labels: string[], counts: number[], color: keyof ReturnType<typeof chartColors>) => (): ChartOption => {
    const c = chartColors();
    return {
      tooltip: { trigger: 'axis' },
      // Room above the tallest bar for its count, and every bin named under it (none hidden).
      grid: { left: 40, right: 12, top: 28, bottom: labels.length > 8 ? 52 : 36 },
      // Many bins (stability's ranges) turn their names so none overlaps another.
      xAxis: { type: 'category', data: labels, ...axisStyle(), axisLabel: { color: c.muted, interval: 0, fontSize: 10, hideOverlap: false, rotate: labels.length > 8 ? 40 : 0 } },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle() },
      series: [
        {
          type: 'bar',
          data: counts,
          itemStyle: { color: c[color], borderRadius: [3, 3, 0, 0] },
          label: { show: true, position: 'top', color: c.muted, fontSize: 10, formatter: (p: { value: number }) => (p.value > 0 ? String(p.value) : '') },
        },
      ],
    };
  };
  let lower = 0;
  const stabilityLabels = stats.stability.map((b) => {
    const label = b.upper === null ? `>${lower}` : `${lower}–${b.upper}`;
    lower = b.upper ?? lower;
    return label;
  });

  const figure = (key: 'young' | 'mature' | 'all', label: string) => {
    const f = stats.retention[key];
    return (
      <div className="stat-figure" data-testid={`retention-${key}`}>
        <div className="stat-value">{percent(f.rate)}</div>
        <div className="stat-label">{label}</div>
        <div className="stat-detail">{f.total ? `${f.passed} / ${f.total}` : t('library.stats.noData')}</div>
      </div>
    );
  };

  return (
    <section className="screen screen-stats" aria-labelledby="stats-title" data-testid="stats-screen">
      <header className="screen-header">
        <h1 id="stats-title">{t('library.stats.title')}</h1>
        <p className="muted">
          {t('library.stats.streak', { count: stats.streak })} · {t('library.stats.totalReviews', { count: stats.totals.reviews })} ·{' '}
          {t('library.stats.totalMinutes', { minutes: Math.round(stats.totals.minutes) })}
        </p>
      </header>
      <div className="stats-grid">
        <section className="panel stats-wide">
          <h2>{t('library.stats.heatmap')}</h2>
          <EChart option={heatmap} deps={deps} label={t('library.stats.heatmap')} testId="stats-heatmap" height={132} />
        </section>
        <section className="panel">
          <h2>{t('library.stats.retention')}</h2>
          <div className="stat-figures">
            {figure('young', t('library.stats.young'))}
            {figure('mature', t('library.stats.mature'))}
            {figure('all', t('library.stats.all'))}
          </div>
        </section>
        <section className="panel">
          <h2>{t('library.stats.forecast')}</h2>
          <EChart option={forecast} deps={deps} label={t('library.stats.forecast')} testId="stats-forecast" />
        </section>
        <section className="panel" data-testid="stats-load-panel">
          <h2>{t('presets.load.title')}</h2>
          <LoadSimulationChart />
        </section>
        <section className="panel">
          <h2>{t('library.stats.daily')}</h2>
          <EChart option={daily} deps={deps} label={t('library.stats.daily')} testId="stats-daily" />
        </section>
        <section className="panel">
          <h2>{t('library.stats.time')}</h2>
          <EChart option={minutes} deps={deps} label={t('library.stats.time')} testId="stats-time" />
        </section>
        <section className="panel">
          <h2>{t('library.stats.stability')}</h2>
          <EChart option={histogram(stabilityLabels, stats.stability.map((b) => b.count), 'new')} deps={deps} label={t('library.stats.stability')} testId="stats-stability" />
        </section>
        <section className="panel">
          <h2>{t('library.stats.difficulty')}</h2>
          <EChart option={histogram(stats.difficulty.map((b) => String(b.upper)), stats.difficulty.map((b) => b.count), 'learning')} deps={deps} label={t('library.stats.difficulty')} testId="stats-difficulty" />
        </section>
      </div>
    </section>
  );
}

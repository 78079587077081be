import { useEffect, useState } from 'react';
import type { LoadSimulation } from '../../shared/contract';
import { useApp } from '../AppContext';
import { chartColors, EChart, type ChartOption } from '../components/EChart';

/** The daily review load simulated with load balancing on and off (a model, said so under the chart). */
export function LoadSimulationChart() {
  const { api, t, locale, theme, settings, showError } = useApp();
  const [sim, setSim] = useState<LoadSimulation | null>(null);
  useEffect(() => {
    api['presets.simulateLoad']({ days: 30 }).then(setSim, showError);
  }, [api, showError]);
  if (!sim) return <div aria-busy="true" />;
  const option = (): ChartOption => {
    const c = chartColors();
    const axis = { axisLabel: { color: c.muted }, axisLine: { lineStyle: { color: c.border } }, splitLine: { lineStyle: { color: c.border } } };
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { color: c.muted } },
      grid: { left: 40, right: 12, top: 28, bottom: 28 },
      xAxis: { type: 'category', data: sim.days.map((d) => new Date(d).toLocaleDateString(locale, { month: 'numeric', day: 'numeric' })), ...axis },
      yAxis: { type: 'value', minInterval: 1, ...axis },
      series: [
        { type: 'line', name: t('presets.load.off'), data: sim.unbalanced, itemStyle: { color: c.muted }, lineStyle: { type: 'dashed' }, symbol: 'none' },
        { type: 'line', name: t('presets.load.on'), data: sim.balanced, itemStyle: { color: c.review }, symbol: 'none' },
      ],
    };
  };
  const round = (x: number) => x.toFixed(1);
  return (
    <>
      <EChart option={option} deps={[sim, theme, locale, settings.loadBalancing]} label={t('presets.load.title')} testId="stats-load-balance" />
      <p className="muted" data-testid="stats-load-summary">
        {t('presets.load.summary', {
          maxOn: sim.summary.balanced.max,
          maxOff: sim.summary.unbalanced.max,
          sdOn: round(sim.summary.balanced.sd),
          sdOff: round(sim.summary.unbalanced.sd),
        })}
      </p>
      <p className="muted small">{t('presets.load.model')}</p>
    </>
  );
}

import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';
import type { RunResult } from '../../shared/contract';
import type { UiLocale } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { palette, plainStyle, rooflineOption, rooflinePointStyle, seriesOption, type RooflineLabels, type SeriesStyle } from './chart-options';
import { decimal } from './format';

echarts.use([LineChart, BarChart, CustomChart, ScatterChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, LabelLayout, SVGRenderer]);

type Chart = RunResult['charts'][number];
type Series = RunResult['series'][number];

interface LegendEntry {
  name: string;
  color: string;
  dashed?: boolean;
  /** A point's marker instead of a line. */
  shape?: string;
  /** Figures after the name (a roofline pass: where it sits). */
  detail?: string;
}

/**
 * The legend under a chart, as page text: it wraps on a narrow chart instead of clipping
 * ("Standard traf…") or overlapping; a click hides or shows that series.
 */
function Legend({ entries, onToggle, hidden }: { entries: LegendEntry[]; onToggle(name: string): void; hidden: ReadonlySet<string> }) {
  return (
    <ul className="chart-legend">
      {entries.map((entry) => (
        <li key={entry.name}>
          <button type="button" className="link-button" aria-pressed={!hidden.has(entry.name)} onClick={() => onToggle(entry.name)}>
            {entry.shape ? (
              <span className={`legend-marker shape-${entry.shape}`} style={{ color: entry.color }} aria-hidden="true" />
            ) : (
              <span className={`legend-swatch${entry.dashed ? ' dashed' : ''}`} style={{ borderColor: entry.color }} aria-hidden="true" />
            )}
            <span>
              {entry.name}
              {entry.detail ? <span className="experiment-muted"> · {entry.detail}</span> : null}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function useRooflineLabels(roofline: RunResult['roofline'], locale: UiLocale): RooflineLabels | null {
  const { t } = useApp();
  if (!roofline) return null;
  const n = (v: number) => decimal(v, locale);
  return {
    memoryRoof: t('experiments.roofline.memory', { value: n(roofline.bandwidthGBs) }),
    computeRoof: t('experiments.roofline.compute', { value: n(roofline.computeGflops) }),
    gemm: t('experiments.roofline.gemm', { value: n(roofline.gemmGflops) }),
    detail: (p) =>
      t(p.bound === 'memory' ? 'experiments.roofline.pointMemory' : 'experiments.roofline.pointCompute', { intensity: n(p.intensity), gflops: n(p.gflops), share: n(p.roofShare * 100) }),
    tooltip: (p) =>
      [
        p.label[locale],
        t('experiments.roofline.point', { intensity: n(p.intensity), gflops: n(p.gflops), gbs: n(p.gbs), ms: n(p.ms) }),
        t(p.bound === 'memory' ? 'experiments.roofline.memoryBound' : 'experiments.roofline.computeBound', { share: n(p.roofShare * 100) }),
      ].join('<br>'),
  };
}

/** One chart of a result, drawn with ECharts (SVG, so screenshots and zoom stay crisp), its legend below it. */
export function ExperimentChart({
  result,
  chart,
  locale,
  theme,
  styleOf = plainStyle,
}: {
  result: RunResult;
  chart: Chart;
  locale: UiLocale;
  theme: 'light' | 'dark';
  /** How each series is drawn (the Lab's comparison dashes the later runs). */
  styleOf?: (series: Series, index: number) => SeriesStyle;
}) {
  const { t } = useApp();
  const element = useRef<HTMLDivElement>(null);
  const instance = useRef<echarts.ECharts | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const dark = theme === 'dark';
  const rooflineLabels = useRooflineLabels(result.roofline, locale);
  const isRoofline = chart.kind === 'roofline';
  const series = chart.series.map((id) => result.series.find((s) => s.id === id)).filter((s): s is Series => s !== undefined);
  const colors = palette(dark);
  const entries: LegendEntry[] =
    isRoofline && rooflineLabels && result.roofline
      ? [
          { name: rooflineLabels.memoryRoof, color: colors[0] },
          { name: rooflineLabels.computeRoof, color: colors[1] },
          { name: rooflineLabels.gemm, color: colors[2], dashed: true },
          ...result.roofline.points.map((p, i) => ({ name: p.label[locale], ...rooflinePointStyle(i, dark), shape: rooflinePointStyle(i, dark).symbol, detail: rooflineLabels.detail(p) })),
        ]
      : series.map((s, i) => ({ name: s.label[locale], color: colors[styleOf(s, i).colorIndex % colors.length], dashed: styleOf(s, i).dashed }));

  useEffect(() => {
    if (!element.current) return;
    if (isRoofline && (!result.roofline || !rooflineLabels)) return;
    const chartInstance = echarts.init(element.current, undefined, { renderer: 'svg' });
    instance.current = chartInstance;
    chartInstance.setOption(
      isRoofline && result.roofline && rooflineLabels ? rooflineOption(chart, result.roofline, rooflineLabels, locale, dark) : seriesOption(chart, series, locale, dark, styleOf),
    );
    setHidden(new Set());
    const observer = new ResizeObserver(() => chartInstance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      chartInstance.dispose();
      instance.current = null;
    };
    // `series` and the labels derive from `result`, `chart` and `locale`.
  }, [result, chart, locale, dark]);

  if (isRoofline && !result.roofline) return null;
  const toggle = (name: string) => {
    instance.current?.dispatchAction({ type: 'legendToggleSelect', name });
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  };
  return (
    <figure className={`experiment-figure${isRoofline ? ' roofline' : ''}`}>
      <div className="experiment-chart" data-testid="experiment-chart" data-chart={chart.id} ref={element} role="img" aria-label={chart.title[locale]} />
      <figcaption>
        <Legend entries={entries} onToggle={toggle} hidden={hidden} />
        {isRoofline ? <p className="experiment-muted roofline-note">{t('experiments.roofline.note')}</p> : null}
      </figcaption>
    </figure>
  );
}

import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { RunResult } from '../../shared/contract';
import type { UiLocale } from '../../shared/i18n';

echarts.use([LineChart, BarChart, CustomChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

type Chart = RunResult['charts'][number];
type Series = RunResult['series'][number];

/** Colour-blind-safe palettes (Okabe–Ito), lighter shades on a dark background. */
const lightPalette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];
const darkPalette = ['#56B4E9', '#E69F00', '#33C19A', '#E08CC0', '#9AD0F0', '#F07F3C'];

function short(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1024 ** 3) return `${Number((value / 1024 ** 3).toPrecision(3))}G`;
  if (abs >= 1024 ** 2) return `${Number((value / 1024 ** 2).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((value / 1024).toPrecision(3))}K`;
  if (abs < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

function option(chart: Chart, series: Series[], locale: UiLocale, dark: boolean): echarts.EChartsCoreOption {
  const text = dark ? '#d8dde6' : '#2a2f3a';
  const palette = dark ? darkPalette : lightPalette;
  const grid = dark ? '#3a4150' : '#e3e6ec';
  const axis = (label: string, log: boolean | undefined) => ({
    type: log ? 'log' : 'value',
    name: label,
    nameLocation: 'middle' as const,
    nameGap: 34,
    nameTextStyle: { color: text, fontSize: 12 },
    axisLabel: { color: text, formatter: short },
    axisLine: { lineStyle: { color: grid } },
    splitLine: { lineStyle: { color: grid } },
    scale: !log,
  });
  const drawn: object[] = [];
  series.forEach((s, index) => {
    const color = palette[index % palette.length];
    const points = s.x.map((x, i) => [x, s.y[i]]).filter(([, y]) => Number.isFinite(y) && (!chart.yLog || y > 0));
    drawn.push({
      type: chart.kind === 'bar' ? 'bar' : 'line',
      name: s.label[locale],
      data: points,
      color,
      symbolSize: 6,
      showSymbol: points.length <= 64,
      lineStyle: { width: 2 },
    });
    if (s.yLow && s.yHigh) {
      const low = s.yLow;
      const high = s.yHigh;
      // Error bars: the range of the repeats at each point.
      drawn.push({
        type: 'custom',
        name: s.label[locale],
        color,
        data: s.x.map((x, i) => [x, low[i], high[i]]).filter(([, l, h]) => Number.isFinite(l) && Number.isFinite(h) && (!chart.yLog || l > 0)),
        renderItem: (_params: unknown, api: { value(i: number): number; coord(p: number[]): number[]; style(): object }) => {
          const top = api.coord([api.value(0), api.value(2)]);
          const bottom = api.coord([api.value(0), api.value(1)]);
          const w = 4;
          const style = { stroke: color, lineWidth: 1.5 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: top[0], y1: top[1], x2: bottom[0], y2: bottom[1] }, style },
              { type: 'line', shape: { x1: top[0] - w, y1: top[1], x2: top[0] + w, y2: top[1] }, style },
              { type: 'line', shape: { x1: bottom[0] - w, y1: bottom[1], x2: bottom[0] + w, y2: bottom[1] }, style },
            ],
          };
        },
        z: 3,
        tooltip: { show: false },
      });
    }
  });
  const categoryX = chart.kind === 'bar';
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: text, fontFamily: 'inherit' },
    title: { text: chart.title[locale], left: 'center', textStyle: { color: text, fontSize: 14, fontWeight: 600 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? short(v) : String(v)) },
    legend: { bottom: 0, itemGap: 24, textStyle: { color: text }, data: series.map((s) => s.label[locale]) },
    grid: { left: 64, right: 24, top: 44, bottom: 72 },
    xAxis: categoryX
      ? { type: 'category', name: chart.xLabel[locale], nameLocation: 'middle', nameGap: 30, nameTextStyle: { color: text }, axisLabel: { color: text }, data: [...new Set(series.flatMap((s) => s.x))].map(short) }
      : axis(chart.xLabel[locale], chart.xLog),
    yAxis: { ...axis(chart.yLabel[locale], chart.yLog), nameGap: 50 },
    series: categoryX ? series.map((s, i) => ({ type: 'bar', name: s.label[locale], data: s.y, color: palette[i % palette.length] })) : drawn,
  };
}

/** One chart of a result, drawn with ECharts (SVG, so screenshots and zoom stay crisp). */
export function ExperimentChart({ result, chart, locale, theme }: { result: RunResult; chart: Chart; locale: UiLocale; theme: 'light' | 'dark' }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    const series = chart.series.map((id) => result.series.find((s) => s.id === id)).filter((s): s is Series => s !== undefined);
    instance.setOption(option(chart, series, locale, theme === 'dark'));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, [result, chart, locale, theme]);
  return <div className="experiment-chart" data-testid="experiment-chart" ref={element} role="img" aria-label={chart.title[locale]} />;
}

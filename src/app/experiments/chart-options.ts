import type { EChartsCoreOption } from 'echarts/core';
import type { RunResult } from '../../shared/contract';
import type { UiLocale } from '../../shared/i18n';
import { axisQuantity, drawable, tick, type AxisQuantity } from './format';

type Chart = RunResult['charts'][number];
type Series = RunResult['series'][number];
type Roofline = NonNullable<RunResult['roofline']>;

/** Colour-blind-safe palettes (Okabe–Ito), lighter shades on a dark background. */
const lightPalette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];
const darkPalette = ['#56B4E9', '#E69F00', '#33C19A', '#E08CC0', '#9AD0F0', '#F07F3C'];

export function palette(dark: boolean): string[] {
  return dark ? darkPalette : lightPalette;
}

interface Look {
  text: string;
  grid: string;
  colors: string[];
}

function look(dark: boolean): Look {
  return { text: dark ? '#d8dde6' : '#2a2f3a', grid: dark ? '#3a4150' : '#e3e6ec', colors: palette(dark) };
}

interface AxisSpec {
  label: string;
  log: boolean;
  /** Every value on it is an integer (token positions, sizes): no ticks between them. */
  integers: boolean;
  locale: UiLocale;
}

function axis(spec: AxisSpec, lk: Look, nameGap: number) {
  const quantity: AxisQuantity = axisQuantity(spec.label);
  return {
    type: spec.log ? 'log' : 'value',
    // Bytes step by powers of two (1 KiB, 4 KiB …), everything else by powers of ten.
    ...(spec.log ? { logBase: quantity === 'bytes' ? 2 : 10 } : { scale: true, ...(spec.integers ? { minInterval: 1 } : {}) }),
    name: spec.label,
    nameLocation: 'middle' as const,
    nameGap,
    nameTextStyle: { color: lk.text, fontSize: 12 },
    axisLabel: { color: lk.text, formatter: (value: number) => tick(value, quantity, spec.locale), hideOverlap: true },
    axisLine: { lineStyle: { color: lk.grid } },
    splitLine: { lineStyle: { color: lk.grid } },
  };
}

/**
 * A log axis spans whole decades (or powers of two for bytes) around the positive values it
 * draws, so a flat series or a left-out 0 cannot stretch it to 1e-11 or 1e-18.
 */
export function logExtent(values: readonly number[], base: 2 | 10): { min: number; max: number } | null {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return null;
  const log = (v: number) => Math.log(v) / Math.log(base);
  let low = Math.floor(log(Math.min(...positive)) + 1e-9);
  let high = Math.ceil(log(Math.max(...positive)) - 1e-9);
  if (high <= low) {
    low -= 1;
    high += 1;
  }
  return { min: base ** low, max: base ** high };
}

function errorBars(color: string) {
  return (_params: unknown, api: { value(i: number): number; coord(p: number[]): number[] }) => {
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
  };
}

/**
 * A line (or bar) chart of a result's series. Log axes leave out values ≤ 0; ticks are decimal
 * except on a bytes axis (binary units). The legend is drawn by the page, not ECharts, so it wraps
 * instead of being clipped or overlapping.
 */
/** How one series is drawn: its palette slot and whether its line is dashed (a compared run). */
export interface SeriesStyle {
  colorIndex: number;
  dashed: boolean;
}

/** Series i takes palette slot i, solid. */
export const plainStyle = (_series: Series, index: number): SeriesStyle => ({ colorIndex: index, dashed: false });

export function seriesOption(chart: Chart, series: Series[], locale: UiLocale, dark: boolean, styleOf: (s: Series, index: number) => SeriesStyle = plainStyle): EChartsCoreOption {
  const lk = look(dark);
  const xLog = chart.xLog === true;
  const yLog = chart.yLog === true;
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y);
  const bounds = (values: number[], log: boolean, label: string) => {
    if (!log) return {};
    return logExtent(values, axisQuantity(label) === 'bytes' ? 2 : 10) ?? {};
  };
  const lows = series.flatMap((s) => s.yLow ?? []);
  const highs = series.flatMap((s) => s.yHigh ?? []);
  const xAxis = { ...axis({ label: chart.xLabel[locale], log: xLog, integers: xs.every(Number.isInteger), locale }, lk, 30), ...bounds(xs, xLog, chart.xLabel[locale]) };
  const yAxis = {
    ...axis({ label: chart.yLabel[locale], log: yLog, integers: ys.every(Number.isInteger), locale }, lk, 52),
    ...bounds([...ys, ...lows, ...highs], yLog, chart.yLabel[locale]),
  };
  const yQuantity = axisQuantity(chart.yLabel[locale]);
  const base = {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: lk.text, fontFamily: 'inherit' },
    title: { text: chart.title[locale], left: 'center', textStyle: { color: lk.text, fontSize: 14, fontWeight: 600, overflow: 'break' } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? tick(v, yQuantity, locale) : String(v)) },
    legend: { show: false, data: series.map((s) => s.label[locale]) },
    grid: { left: 70, right: 20, top: 44, bottom: 48 },
  };
  if (chart.kind === 'bar') {
    const categories = [...new Set(xs)].sort((a, b) => a - b);
    const xQuantity = axisQuantity(chart.xLabel[locale]);
    return {
      ...base,
      xAxis: {
        type: 'category',
        name: chart.xLabel[locale],
        nameLocation: 'middle',
        nameGap: 30,
        nameTextStyle: { color: lk.text },
        axisLabel: { color: lk.text, interval: 0 },
        data: categories.map((x) => tick(x, xQuantity, locale)),
      },
      yAxis,
      series: series.map((s, i) => ({
        type: 'bar',
        name: s.label[locale],
        color: lk.colors[styleOf(s, i).colorIndex % lk.colors.length],
        data: categories.map((x) => {
          const y = s.y[s.x.indexOf(x)];
          return y === undefined || !Number.isFinite(y) || (yLog && y <= 0) ? null : y;
        }),
      })),
    };
  }
  const drawn: object[] = [];
  series.forEach((s, index) => {
    const style = styleOf(s, index);
    const color = lk.colors[style.colorIndex % lk.colors.length];
    const points = drawable(
      s.x.map((x, i) => [x, s.y[i]]),
      xLog,
      yLog,
    );
    drawn.push({ type: 'line', name: s.label[locale], data: points, color, symbolSize: 6, showSymbol: points.length <= 64, lineStyle: { width: 2, type: style.dashed ? 'dashed' : 'solid' } });
    if (s.yLow && s.yHigh) {
      const low = s.yLow;
      const high = s.yHigh;
      drawn.push({
        type: 'custom',
        name: s.label[locale],
        color,
        data: drawable(
          s.x.map((x, i) => [x, low[i], high[i]]),
          xLog,
          yLog,
        ),
        renderItem: errorBars(color),
        z: 3,
        tooltip: { show: false },
      });
    }
  });
  return { ...base, xAxis, yAxis, series: drawn };
}

/** The colour and ECharts symbol of the roofline's i-th pass (the page's legend draws the same). */
export function rooflinePointStyle(index: number, dark: boolean): { color: string; symbol: 'circle' | 'diamond' | 'triangle' | 'rect' | 'pin' } {
  const colors = dark ? ['#E08CC0', '#F07F3C', '#9AD0F0', '#F0E442', '#C9A0DC'] : ['#CC79A7', '#D55E00', '#56B4E9', '#B8A800', '#7B4FA0'];
  const symbols = ['circle', 'diamond', 'triangle', 'rect', 'pin'] as const;
  return { color: colors[index % colors.length], symbol: symbols[index % symbols.length] };
}

export interface RooflineLabels {
  memoryRoof: string;
  computeRoof: string;
  gemm: string;
  /** Where a pass sits, in a few words (the legend). */
  detail(point: Roofline['points'][number]): string;
  tooltip(point: Roofline['points'][number]): string;
}

/**
 * The device's roofline on log-log axes: the memory roof (bandwidth × intensity) up to the ridge,
 * the compute roof after it, the GEMM's own throughput dashed, and each pass a labelled point.
 */
export function rooflineOption(chart: Chart, roofline: Roofline, labels: RooflineLabels, locale: UiLocale, dark: boolean): EChartsCoreOption {
  const lk = look(dark);
  const { bandwidthGBs: bandwidth, computeGflops: compute } = roofline;
  const ridge = compute / bandwidth;
  const points = roofline.points.filter((p) => p.intensity > 0 && p.gflops > 0);
  const intensities = [...points.map((p) => p.intensity), ridge];
  const xMin = 10 ** Math.floor(Math.log10(Math.min(...intensities) / 2));
  const xMax = 10 ** Math.ceil(Math.log10(Math.max(...intensities) * 2));
  const yValues = [...points.map((p) => p.gflops), bandwidth * xMin, compute, roofline.gemmGflops].filter((v) => v > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...yValues)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...yValues) * 1.5));
  const roof = (name: string, data: number[][], color: string, dashed = false) => ({
    type: 'line',
    name,
    data,
    color,
    showSymbol: false,
    lineStyle: { width: dashed ? 1.5 : 2.5, type: dashed ? 'dashed' : 'solid' },
    tooltip: { show: false },
    z: 1,
  });
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: lk.text, fontFamily: 'inherit' },
    title: { text: chart.title[locale], left: 'center', textStyle: { color: lk.text, fontSize: 14, fontWeight: 600 } },
    tooltip: { trigger: 'item', formatter: (p: { seriesType: string; seriesIndex: number }) => (p.seriesType === 'scatter' ? labels.tooltip(points[p.seriesIndex - 3]) : '') },
    legend: { show: false, data: [labels.memoryRoof, labels.computeRoof, labels.gemm] },
    grid: { left: 70, right: 20, top: 44, bottom: 48 },
    xAxis: { ...axis({ label: chart.xLabel[locale], log: true, integers: false, locale }, lk, 30), min: xMin, max: xMax },
    yAxis: { ...axis({ label: chart.yLabel[locale], log: true, integers: false, locale }, lk, 52), min: yMin, max: yMax },
    series: [
      roof(labels.memoryRoof, [[xMin, bandwidth * xMin], [ridge, compute]], lk.colors[0]),
      roof(labels.computeRoof, [[ridge, compute], [xMax, compute]], lk.colors[1]),
      roof(labels.gemm, [[xMin, roofline.gemmGflops], [xMax, roofline.gemmGflops]], lk.colors[2], true),
      // One series per pass, each its own colour and shape: passes at the same intensity (S = QKᵀ and
      // O = PV) would hide each other's text labels, so the legend under the chart names them.
      ...points.map((p, i) => ({
        type: 'scatter',
        name: p.label[locale],
        color: rooflinePointStyle(i, dark).color,
        symbol: rooflinePointStyle(i, dark).symbol,
        symbolSize: 11,
        itemStyle: { borderColor: dark ? '#1a1b1e' : '#ffffff', borderWidth: 1 },
        z: 3 + i,
        data: [[p.intensity, p.gflops]],
      })),
    ],
  };
}

import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { CalendarComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, CalendarComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** Colours of the current theme, read from the CSS variables so charts match the app. */
export function chartColors(): { text: string; muted: string; border: string; surface: string; accent: string; learning: string; review: string; new: string; again: string; hard: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v('--text'),
    muted: v('--text-muted'),
    border: v('--border'),
    surface: v('--surface-2'),
    accent: v('--accent'),
    learning: v('--learning'),
    review: v('--review'),
    new: v('--new'),
    again: v('--again'),
    hard: v('--hard'),
  };
}

interface EChartProps {
  /** Built from the theme's colours; rebuilt when the theme or data change. */
  option: () => ChartOption;
  /** Changes when what the chart shows changes (data, theme, locale). */
  deps: readonly unknown[];
  label: string;
  testId?: string;
  height?: number;
}

/** An ECharts chart drawn as SVG (crisp in screenshots and at any zoom), resized with its box. */
export function EChart({ option, deps, label, testId, height = 240 }: EChartProps) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    instance.setOption(option());
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
    // `deps` lists what `option` reads.
  }, deps);
  return <div className="chart" ref={element} role="img" aria-label={label} data-testid={testId} style={{ height }} />;
}

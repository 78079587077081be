import { useMemo } from 'react';
import type { Evidence, RunRecord, RunResult } from '../../shared/contract';
import { useApp } from '../AppContext';
import { EvidenceSource, EvidenceValue } from './EvidenceTable';
import type { SeriesStyle } from './chart-options';
import { ExperimentChart } from './ExperimentChart';
import { decimal } from './format';
import { OutcomeBadge } from './OutcomeBadge';

type Finished = RunRecord & { result: RunResult };

interface Row {
  key: string;
  label: string;
  /** The first run's evidence of this row: its unit and source. */
  sample: Evidence;
  values: (Evidence | undefined)[];
}

/** Every evidence item of the runs, keyed by arm, check and id, in the order the first run lists them. */
function evidenceRows(runs: Finished[], locale: 'ko' | 'en'): Row[] {
  const rows = new Map<string, Row>();
  runs.forEach((run, index) => {
    const arms: [string, RunResult['verdict']['checks']][] = [
      ['verdict', run.result.verdict.checks],
      ['control', run.result.control?.checks ?? []],
    ];
    const inChecks = new Set(run.result.verdict.checks.flatMap((c) => c.evidence.map((e) => e.id)));
    const items: [string, Evidence][] = [
      ...arms.flatMap(([arm, checks]) => checks.flatMap((check) => check.evidence.map((e): [string, Evidence] => [`${arm}:${e.id}`, e]))),
      ...run.result.verdict.evidence.filter((e) => !inChecks.has(e.id)).map((e): [string, Evidence] => [`model:${e.id}`, e]),
    ];
    for (const [key, evidence] of items) {
      let row = rows.get(key);
      if (!row) {
        row = { key, label: evidence.label[locale], sample: evidence, values: runs.map(() => undefined) };
        rows.set(key, row);
      }
      row.values[index] = evidence;
    }
  });
  return [...rows.values()];
}

/** How a run's number differs from the first run's: a relative change, or the new value when the first was 0. */
function difference(first: Evidence | undefined, other: Evidence | undefined, locale: 'ko' | 'en'): string | null {
  if (typeof first?.value !== 'number' || typeof other?.value !== 'number' || first.value === other.value) return null;
  if (first.value === 0) return null;
  const change = ((other.value - first.value) / Math.abs(first.value)) * 100;
  return `${change > 0 ? '+' : ''}${decimal(change, locale, 2)}%`;
}

/** The runs' line charts overlaid: each series once per run, named with the run's number. */
function overlaid(runs: Finished[]): { result: RunResult; chart: RunResult['charts'][number]; styleOf(s: RunResult['series'][number]): SeriesStyle }[] {
  const first = runs[0].result;
  return first.charts
    .filter((chart) => chart.kind !== 'roofline' && chart.kind !== 'bar')
    .map((chart) => {
      const series = runs.flatMap((run) =>
        chart.series
          .map((id) => run.result.series.find((s) => s.id === id))
          .filter((s): s is RunResult['series'][number] => s !== undefined)
          .map((s) => ({ ...s, id: `${run.id}:${s.id}`, label: { ko: `#${run.id} ${s.label.ko}`, en: `#${run.id} ${s.label.en}` } })),
      );
      // A series keeps its colour in every run; the first run is drawn solid, the others dashed.
      const styleOf = (s: RunResult['series'][number]): SeriesStyle => {
        const [runId, ...rest] = s.id.split(':');
        return { colorIndex: Math.max(0, chart.series.indexOf(rest.join(':'))), dashed: Number(runId) !== runs[0].id };
      };
      return { result: { ...first, series }, chart: { ...chart, id: `compare-${chart.id}`, series: series.map((s) => s.id) }, styleOf };
    })
    .filter(({ chart }) => chart.series.length > 0);
}

/**
 * Finished runs side by side: the outcomes, then every piece of evidence by its name and unit with
 * each run's value and its difference from the first run, the charts overlaid; the raw metrics under a disclosure.
 */
export function LabCompare({ runs }: { runs: RunRecord[] }) {
  const { t, locale, theme } = useApp();
  const finished = runs.filter((run): run is Finished => run.result !== null);
  // The charts are rebuilt only when the set of runs changes, not on every render of the Lab.
  const ids = finished.map((run) => run.id).join();
  const charts = useMemo(() => (finished.length >= 2 ? overlaid(finished) : []), [ids]);
  if (finished.length < 2) return null;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const rows = evidenceRows(finished, locale);
  const metricKeys = [...new Set(finished.flatMap((run) => Object.keys(run.result.metrics)))];
  return (
    <div className="lab-compare">
      <div className="experiment-table-scroll">
        <table className="experiment-compare" data-testid="experiment-compare">
          <thead>
            <tr>
              <th scope="col">{t('experiments.evidence.what')}</th>
              {finished.map((run, index) => (
                <th key={run.id} scope="col">
                  #{run.id} <span translate="no">{run.device?.name ?? ''}</span>
                  <br />
                  <span className="experiment-muted">
                    {when.format(run.startedAt)}
                    {index > 0 ? ` · ${t('experiments.lab.vsFirst', { id: finished[0].id })}` : ''}
                  </span>
                </th>
              ))}
              <th scope="col">{t('experiments.evidence.source')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('experiments.lab.outcome')}</th>
              {finished.map((run) => (
                <td key={run.id}>
                  <OutcomeBadge outcome={run.result.verdict.outcome} />
                </td>
              ))}
              <td />
            </tr>
            <tr>
              <th scope="row">{t('experiments.control.title')}</th>
              {finished.map((run) => (
                <td key={run.id}>{run.result.control ? <OutcomeBadge outcome={run.result.control.outcome} /> : '—'}</td>
              ))}
              <td />
            </tr>
            {rows.map((row) => (
              <tr key={row.key} data-evidence={row.key} className={row.sample.decisive ? 'decisive' : undefined}>
                <th scope="row">
                  {row.key.startsWith('control:') ? <span className="evidence-arm">{t('experiments.evidence.controlArm')}</span> : null}
                  {row.label}
                </th>
                {row.values.map((value, index) => {
                  const change = index > 0 ? difference(row.values[0], value, locale) : null;
                  return (
                    <td key={finished[index].id}>
                      {value ? <EvidenceValue evidence={value} /> : '—'}
                      {change ? <span className="compare-change"> ({change})</span> : null}
                    </td>
                  );
                })}
                <td className="compare-source">
                  <EvidenceSource evidence={row.sample} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="experiment-charts">
        {charts.map(({ result, chart, styleOf }) => (
          <ExperimentChart key={chart.id} result={result} chart={chart} locale={locale} theme={theme} styleOf={styleOf} />
        ))}
      </div>
      <details className="experiment-details">
        <summary>{t('experiments.details.metrics')}</summary>
        <div className="experiment-table-scroll">
          <table className="experiment-compare">
            <tbody>
              {metricKeys.map((key) => (
                <tr key={key}>
                  <th scope="row">
                    <code>{key}</code>
                  </th>
                  {finished.map((run) => {
                    const v = run.result.metrics[key];
                    return (
                      <td key={run.id} translate="no">
                        {v === null || v === undefined ? '—' : typeof v === 'number' ? decimal(v, locale, 4) : String(v)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

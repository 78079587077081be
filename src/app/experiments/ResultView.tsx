import type { RunRecord, RunResult } from '../../shared/contract';
import { translateError } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { ExperimentChart } from './ExperimentChart';

function cell(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value !== 'number') return value;
  if (Number.isInteger(value)) return value.toLocaleString();
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString();
}

/** Which device a result came from, with the software / CPU-reference warnings it deserves. */
export function DeviceLine({ device }: { device: RunResult['device'] }) {
  const { t } = useApp();
  return (
    <p className="experiment-device">
      <span className="experiment-label">{t('experiments.device')}</span> {device.name}
      {device.backend === 'cpu-reference' ? (
        <strong className="experiment-warning"> — {t('experiments.cpuReference')}</strong>
      ) : device.isFallback ? (
        <span className="experiment-badge">{t('experiments.software')}</span>
      ) : null}
    </p>
  );
}

/** A finished result: verdict with its numbers, charts, table, device and context. */
export function ResultView({ result }: { result: RunResult }) {
  const { t, locale, theme } = useApp();
  const holds = result.verdict.holds;
  return (
    <div className="experiment-result">
      <div className={`experiment-verdict ${holds ? 'holds' : 'fails'}`} data-testid="experiment-verdict" role="status">
        <strong>{holds ? `✓ ${t('experiments.holds')}` : `✗ ${t('experiments.doesNotHold')}`}</strong>
        <span>{result.verdict.summary[locale]}</span>
      </div>
      <div className="experiment-charts">
        {result.charts.map((chart) => (
          <ExperimentChart key={chart.id} result={result} chart={chart} locale={locale} theme={theme} />
        ))}
      </div>
      <details className="experiment-table" open={result.table.rows.length <= 8}>
        <summary>{t('experiments.table')}</summary>
        <div className="experiment-table-scroll">
          <table>
            <thead>
              <tr>
                {result.table.columns.map((column, i) => (
                  <th key={i} scope="col">
                    {column[locale]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((value, c) => (
                    <td key={c}>{cell(value)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <DeviceLine device={result.device} />
      {result.context ? (
        <p className="experiment-context">
          <span className="experiment-label">{t('experiments.context')}</span> {result.context[locale]}
        </p>
      ) : null}
    </div>
  );
}

/** A finished run: its result, or why it did not finish. */
export function RunOutcome({ record }: { record: RunRecord }) {
  const { t } = useApp();
  if (record.status === 'done' && record.result) return <ResultView result={record.result} />;
  const reason = record.error ? translateError(t, record.error) : t(`experiments.status.${record.status}`);
  return (
    <div className={`experiment-verdict ${record.status === 'cancelled' ? 'cancelled' : 'fails'}`} data-testid="experiment-verdict" role="alert">
      <span>{record.status === 'cancelled' ? reason : t('experiments.failed', { reason })}</span>
    </div>
  );
}

import type { RunRecord, RunResult } from '../../shared/contract';
import { translateError } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { EvidenceTable } from './EvidenceTable';
import { ExperimentChart } from './ExperimentChart';
import { ResultDetails } from './ResultDetails';
import { VerdictPanel } from './VerdictPanel';

/** Which device a result came from, with the software / CPU-reference warnings it deserves. */
export function DeviceLine({ device }: { device: RunResult['device'] }) {
  const { t } = useApp();
  return (
    <p className="experiment-device">
      <span className="experiment-label">{t('experiments.device')}</span> <span translate="no">{device.name}</span>
      {device.backend === 'cpu-reference' ? (
        <strong className="experiment-warning"> — {t('experiments.cpuReference')}</strong>
      ) : device.isFallback ? (
        <span className="experiment-badge">{t('experiments.software')}</span>
      ) : null}
    </p>
  );
}

/**
 * A finished result, in the order a sceptical reader asks: did it hold (claim, measurement,
 * meaning) and did the counterfactual fail; the charts; the numbers with their sources; the device
 * and why it looks as it does; the statistics and raw numbers under a disclosure.
 */
export function ResultView({ result }: { result: RunResult }) {
  const { t, locale, theme } = useApp();
  return (
    <div className="experiment-result">
      <VerdictPanel result={result} />
      <div className="experiment-charts">
        {result.charts.map((chart) => (
          <ExperimentChart key={chart.id} result={result} chart={chart} locale={locale} theme={theme} />
        ))}
      </div>
      <EvidenceTable result={result} />
      <DeviceLine device={result.device} />
      {result.context ? (
        <p className="experiment-context">
          <span className="experiment-label">{t('experiments.context')}</span> {result.context[locale]}
        </p>
      ) : null}
      <ResultDetails result={result} />
    </div>
  );
}

/** A finished run: its result, or why it did not finish. */
export function RunOutcome({ record }: { record: RunRecord }) {
  const { t } = useApp();
  if (record.status === 'done' && record.result) return <ResultView result={record.result} />;
  const reason = record.error ? translateError(t, record.error) : t(`experiments.status.${record.status}`);
  return (
    <div className={`experiment-verdict run-${record.status}`} data-testid="experiment-verdict" data-outcome="none" role="alert">
      <span>{record.status === 'cancelled' ? reason : t('experiments.failed', { reason })}</span>
    </div>
  );
}

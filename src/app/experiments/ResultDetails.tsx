import type { RunResult } from '../../shared/contract';
import type { Translate } from '../../shared/i18n';
import { useApp } from '../AppContext';
import { evidenceGroups, isJargon } from './evidence';
import { EvidenceRows } from './EvidenceTable';
import { decimal } from './format';

function cell(value: number | string | null, locale: 'ko' | 'en'): string {
  if (value === null) return '—';
  if (typeof value !== 'number') return value;
  return decimal(value, locale, 4);
}

/** The words experiments put in table cells, in the UI's language; anything else as it came (a name, a code). */
function words(value: string, t: Translate): { text: string; translated: boolean } {
  if (value === 'refused') return { text: t('experiments.cell.refused'), translated: true };
  if (value === 'accepted') return { text: t('experiments.cell.accepted'), translated: true };
  const ran = /^ran (\d+) rows?$/.exec(value);
  if (ran) return { text: t('experiments.cell.ranRows', { count: Number(ran[1]) }), translated: true };
  return { text: value, translated: false };
}

function TextCell({ value }: { value: string }) {
  const { t } = useApp();
  const { text, translated } = words(value, t);
  return translated ? <>{text}</> : <span translate="no">{text}</span>;
}

function metric(value: RunResult['metrics'][string], locale: 'ko' | 'en'): string {
  if (value === null) return '—';
  if (typeof value === 'number') return decimal(value, locale, 4);
  return String(value);
}

/** For the specialist: the statistics behind the checks, the raw metrics by their internal names, and every measurement. */
export function ResultDetails({ result }: { result: RunResult }) {
  const { t, locale } = useApp();
  const statistics = evidenceGroups(result, isJargon);
  const metrics = Object.entries(result.metrics);
  return (
    <details className="experiment-details" data-testid="experiment-details">
      <summary>{t('experiments.details')}</summary>
      {statistics.length > 0 ? (
        <>
          <h5>{t('experiments.details.statistics')}</h5>
          <div className="experiment-table-scroll">
            <table className="evidence-table">
              <EvidenceRows groups={statistics} columns={3} />
            </table>
          </div>
        </>
      ) : null}
      <h5>{t('experiments.table')}</h5>
      <div className="experiment-table-scroll">
        <table className="measurement-table">
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
                  <td key={c}>{typeof value === 'string' ? <TextCell value={value} /> : cell(value, locale)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {metrics.length > 0 ? (
        <>
          <h5>{t('experiments.details.metrics')}</h5>
          <dl className="raw-metrics">
            {metrics.map(([key, value]) => (
              <div key={key}>
                <dt>
                  <code>{key}</code>
                </dt>
                <dd translate="no">{metric(value, locale)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </details>
  );
}

import type { Evidence, RunResult } from '../../shared/contract';
import { useApp } from '../AppContext';
import { evidenceGroups, isJargon, type EvidenceGroup } from './evidence';
import { withUnit } from './format';
import { OutcomeIcon } from './OutcomeBadge';

/** A number of the evidence with its unit; yes/no for a boolean; a device's own message quoted as it came. */
export function EvidenceValue({ evidence }: { evidence: Evidence }) {
  const { t, locale } = useApp();
  const { value } = evidence;
  if (value === null) return <>—</>;
  if (typeof value === 'boolean') return <>{value ? t('experiments.yes') : t('experiments.no')}</>;
  if (typeof value === 'string') return <q translate="no">{value}</q>;
  return <span className="evidence-number">{withUnit(value, evidence.unit, locale)}</span>;
}

/** Where a number came from: measured on the device in this run, or a model; and whether it decides. */
export function EvidenceSource({ evidence }: { evidence: Evidence }) {
  const { t } = useApp();
  return (
    <>
      <span className={`evidence-source source-${evidence.source}`}>{t(`experiments.evidence.${evidence.source}`)}</span>
      {evidence.decisive ? <span className="evidence-decisive">{t('experiments.evidence.decisive')}</span> : null}
    </>
  );
}

function GroupHeading({ group, columns }: { group: EvidenceGroup; columns: number }) {
  const { t, locale } = useApp();
  return (
    <tr className={`evidence-group group-${group.kind}`}>
      <th scope="rowgroup" colSpan={columns}>
        {group.check ? <OutcomeIcon outcome={group.check.outcome} /> : null}{' '}
        {group.kind === 'control' ? <span className="evidence-arm">{t('experiments.evidence.controlArm')}</span> : null}
        {group.check ? group.check.claim[locale] : t('experiments.evidence.modelGroup')}
      </th>
    </tr>
  );
}

/** Rows of evidence grouped by check (the control's after the verdict's), each number's source marked. */
export function EvidenceRows({ groups, columns }: { groups: EvidenceGroup[]; columns: number }) {
  const { locale } = useApp();
  return (
    <>
      {groups.map((group, index) => (
        <tbody key={`${group.kind}-${group.check?.id ?? 'model'}-${index}`}>
          <GroupHeading group={group} columns={columns} />
          {group.rows.map((evidence) => (
            <tr key={evidence.id} className={evidence.decisive ? 'decisive' : undefined} data-source={evidence.source} data-decisive={evidence.decisive}>
              <th scope="row">{evidence.label[locale]}</th>
              <td className={`evidence-value${typeof evidence.value === 'string' ? ' quoted' : ''}`}>
                <EvidenceValue evidence={evidence} />
              </td>
              <td>
                <EvidenceSource evidence={evidence} />
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </>
  );
}

/**
 * The numbers behind the verdict: what each check rests on, measured (decisive ones highlighted)
 * or modelled, the control's beside them. Statistics (p-values, slopes) wait under the disclosure.
 */
export function EvidenceTable({ result }: { result: RunResult }) {
  const { t } = useApp();
  const groups = evidenceGroups(result, (e) => !isJargon(e));
  const hidden = evidenceGroups(result, isJargon).reduce((n, g) => n + g.rows.length, 0);
  return (
    <section className="experiment-evidence" data-testid="experiment-evidence">
      <h4>{t('experiments.evidence.title')}</h4>
      {groups.length === 0 ? (
        <p className="experiment-muted">{t('experiments.evidence.none')}</p>
      ) : (
        <div className="experiment-table-scroll">
          <table className="evidence-table">
            <thead>
              <tr>
                <th scope="col">{t('experiments.evidence.what')}</th>
                <th scope="col">{t('experiments.evidence.value')}</th>
                <th scope="col">{t('experiments.evidence.source')}</th>
              </tr>
            </thead>
            <EvidenceRows groups={groups} columns={3} />
          </table>
        </div>
      )}
      <p className="experiment-muted evidence-legend">
        {t('experiments.evidence.legend')}
        {hidden > 0 ? ` ${t('experiments.evidence.moreInDetails', { count: hidden })}` : ''}
      </p>
    </section>
  );
}

import type { RunResult } from '../../shared/contract';
import { findMeta } from '../../experiments/catalog';
import { useApp } from '../AppContext';
import { OutcomeBadge, OutcomeIcon } from './OutcomeBadge';

type Check = RunResult['verdict']['checks'][number];

function Checks({ checks }: { checks: Check[] }) {
  const { locale } = useApp();
  if (checks.length === 0) return null;
  return (
    <ul className="verdict-checks">
      {checks.map((check) => (
        <li key={check.id} data-check={check.id} data-outcome={check.outcome} title={check.claim[locale]}>
          <OutcomeIcon outcome={check.outcome} />
          <span>{check.observed[locale]}</span>
        </li>
      ))}
    </ul>
  );
}

/** The control arm: the counterfactual measured the same way, with its own outcome and what that says. */
function ControlPanel({ control }: { control: RunResult['control'] }) {
  const { t, locale } = useApp();
  if (!control) {
    return (
      <section className="experiment-control missing" data-testid="experiment-control" data-outcome="none">
        <h4>{t('experiments.control.title')}</h4>
        <p className="experiment-muted">{t('experiments.control.missing')}</p>
      </section>
    );
  }
  const conclusion =
    control.outcome === 'does-not-hold' ? t('experiments.control.fails') : control.outcome === 'holds' ? t('experiments.control.passes') : t('experiments.control.undecided');
  return (
    <section className={`experiment-control outcome-${control.outcome}`} data-testid="experiment-control" data-outcome={control.outcome}>
      <header className="control-header">
        <h4>{t('experiments.control.title')}</h4>
        <OutcomeBadge outcome={control.outcome} />
      </header>
      <p className="control-description">{control.description[locale]}</p>
      <Checks checks={control.checks} />
      <p className={`control-conclusion ${control.outcome === 'does-not-hold' ? 'telling' : 'untelling'}`}>{conclusion}</p>
    </section>
  );
}

/**
 * The outcome first, in plain words: what was claimed, what this run measured (each check with
 * its outcome), what it means; the control arm beside it with its own outcome.
 */
export function VerdictPanel({ result }: { result: RunResult }) {
  const { t, locale } = useApp();
  const { verdict } = result;
  const claim = findMeta(result.experimentId)?.claim;
  return (
    <div className="verdict-grid">
      <section className={`experiment-verdict outcome-${verdict.outcome}`} data-testid="experiment-verdict" data-outcome={verdict.outcome} role="status">
        <OutcomeBadge outcome={verdict.outcome} large />
        <dl className="verdict-lines">
          {claim ? (
            <div>
              <dt>{t('experiments.claim')}</dt>
              <dd>{claim[locale]}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('experiments.inThisRun')}</dt>
            <dd>
              <p className="verdict-summary">{verdict.summary[locale]}</p>
              <Checks checks={verdict.checks} />
            </dd>
          </div>
          {verdict.meaning[locale] ? (
            <div>
              <dt>{t('experiments.meaning')}</dt>
              <dd className="verdict-meaning">{verdict.meaning[locale]}</dd>
            </div>
          ) : null}
        </dl>
      </section>
      <ControlPanel control={result.control} />
    </div>
  );
}

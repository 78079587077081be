import type { Outcome } from '../../shared/contract';
import { useApp } from '../AppContext';

/** One glyph per outcome, so the three read apart without colour too. */
export const outcomeIcon: Record<Outcome, string> = { holds: '✓', 'does-not-hold': '✗', 'not-shown': '◌' };

/** The outcome in words with its glyph: holds / does not hold / not shown on this device. */
export function OutcomeBadge({ outcome, large = false }: { outcome: Outcome; large?: boolean }) {
  const { t } = useApp();
  return (
    <span className={`outcome-badge outcome-${outcome}${large ? ' large' : ''}`} data-outcome={outcome}>
      <span aria-hidden="true">{outcomeIcon[outcome]}</span> {t(`experiments.outcome.${outcome}`)}
    </span>
  );
}

/** A check's glyph alone (its words follow it), labelled for screen readers. */
export function OutcomeIcon({ outcome }: { outcome: Outcome }) {
  const { t } = useApp();
  return (
    <span className={`outcome-icon outcome-${outcome}`} role="img" aria-label={t(`experiments.outcome.${outcome}`)} title={t(`experiments.outcome.${outcome}`)}>
      {outcomeIcon[outcome]}
    </span>
  );
}

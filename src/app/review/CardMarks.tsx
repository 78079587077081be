import type { CSSProperties } from 'react';
import { useApp } from '../AppContext';
import { flagName } from './flags';
import './review-extras.css';

/** The colour of flag `n` as a CSS variable, for `--flag-color`. */
export const flagStyle = (flag: number): CSSProperties => ({ ['--flag-color' as string]: flag ? `var(--flag-${flag})` : 'transparent' });

/** The card's flag and its note's mark, as Anki shows them above the card. */
export function CardMarks({ flag, marked }: { flag: number; marked: boolean }) {
  const { t } = useApp();
  return (
    <div className="card-marks" aria-live="polite">
      {flag > 0 && (
        <span className="card-flag" data-testid="card-flag" data-flag={flag} style={flagStyle(flag)}>
          <span className="flag-dot" aria-hidden="true" />
          {t('flag.label', { name: t(flagName(flag)) })}
        </span>
      )}
      {marked && (
        <span className="card-marked" data-testid="card-marked">
          <span aria-hidden="true">★</span>
          {t('flag.marked')}
        </span>
      )}
    </div>
  );
}

import type { ComponentType } from 'react';
import type { MessageKey } from '../shared/i18n';
import type { ScreenParams } from './AppContext';

export interface ScreenProps {
  /** What `navigate(id, params)` passed; empty when opened from the navigation. */
  params: ScreenParams;
}

/** One screen of the app, as listed in `screens.tsx`. */
export interface ScreenDefinition {
  /** Stable id, used by `navigate(id)`. */
  id: string;
  /** Its name in the navigation (an i18n key of your area's file). */
  title: MessageKey;
  /**
   * The letter that opens it after `g` (`g t` for Today). Pick one not yet taken. Taken:
   * t (Today), comma (Settings). Suggested: l Lab, d Decks, b Browse, i Stats.
   */
  hotkey?: string;
  /** A one-character glyph shown before the title in the navigation. */
  icon?: string;
  /** Not listed in the navigation (opened by another screen, like Review from Today). */
  hidden?: boolean;
  /**
   * The screen. May be `lazy(() => import('./x/XScreen').then((m) => ({ default: m.XScreen })))`
   * so a heavy screen (charts) stays out of the bundle that shows the first card.
   */
  Component: ComponentType<ScreenProps>;
}

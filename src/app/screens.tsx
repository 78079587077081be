import type { ScreenDefinition } from './screen-types';
import { TodayScreen } from './screens/TodayScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { LabScreen } from './experiments/LabScreen';

export type { ScreenDefinition, ScreenProps } from './screen-types';

/**
 * Every screen, in navigation order. To add one: import its component above and add one line
 * here, e.g. `{ id: 'lab', title: 'lab.title', hotkey: 'l', icon: '⚗', Component: LabScreen },`
 * (its title key comes from your own i18n file, src/shared/i18n/<area>.ts).
 * Settings stays last.
 */
export const screens: ScreenDefinition[] = [
  { id: 'today', title: 'app.nav.today', hotkey: 't', icon: '◉', Component: TodayScreen },
  { id: 'review', title: 'review.title', hidden: true, Component: ReviewScreen },
  { id: 'lab', title: 'experiments.lab.title', hotkey: 'l', icon: '⚗', Component: LabScreen },
  { id: 'settings', title: 'app.nav.settings', hotkey: ',', icon: '⚙', Component: SettingsScreen },
];

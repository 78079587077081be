import { lazy } from 'react';
import type { ScreenDefinition } from './screen-types';
import { TodayScreen } from './screens/TodayScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SettingsScreen } from './screens/SettingsScreen';

// Screens other than Today and Review load when first opened: their charts and tables stay out
// of the bundle that has to load before the first card shows.
const LabScreen = lazy(() => import('./experiments/LabScreen').then((m) => ({ default: m.LabScreen })));
const BrowseScreen = lazy(() => import('./library/BrowseScreen').then((m) => ({ default: m.BrowseScreen })));
const NoteEditor = lazy(() => import('./library/NoteEditor').then((m) => ({ default: m.NoteEditor })));
const StatsScreen = lazy(() => import('./library/StatsScreen').then((m) => ({ default: m.StatsScreen })));
const DecksScreen = lazy(() => import('./decks/DecksScreen').then((m) => ({ default: m.DecksScreen })));

export type { ScreenDefinition, ScreenProps } from './screen-types';

/**
 * Every screen, in navigation order. To add one: import its component above (lazily, as these
 * are, unless it is on the way to the first card) and add one line here, e.g. `{ id: 'lab', title: 'lab.title', hotkey: 'l', icon: '⚗', Component: LabScreen },`
 * (its title key comes from your own i18n file, src/shared/i18n/<area>.ts).
 * Settings stays last.
 */
export const screens: ScreenDefinition[] = [
  { id: 'today', title: 'app.nav.today', hotkey: 't', icon: '◉', Component: TodayScreen },
  { id: 'review', title: 'review.title', hidden: true, Component: ReviewScreen },
  { id: 'lab', title: 'experiments.lab.title', hotkey: 'l', icon: '⚗', Component: LabScreen },
  { id: 'browse', title: 'library.browse.title', hotkey: 'b', icon: '☰', Component: BrowseScreen },
  { id: 'edit', title: 'library.editor.title', hidden: true, Component: NoteEditor },
  { id: 'stats', title: 'library.stats.title', hotkey: 'i', icon: '▦', Component: StatsScreen },
  { id: 'decks', title: 'decks.title', hotkey: 'd', icon: '▤', Component: DecksScreen },
  { id: 'settings', title: 'app.nav.settings', hotkey: ',', icon: '⚙', Component: SettingsScreen },
];

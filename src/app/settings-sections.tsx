import type { ComponentType } from 'react';
import type { MessageKey } from '../shared/i18n';
import { AppearanceSettings } from './screens/AppearanceSettings';
import { SchedulingSettings } from './library/SchedulingSettings';
import { BackupSettings } from './library/BackupSettings';
import { PresetSettings } from './presets/PresetSettings';

/** One group of settings on the Settings screen. Its component reads and saves through `useApp()`. */
export interface SettingsSection {
  id: string;
  /** The group's heading (an i18n key of your area's file). */
  title: MessageKey;
  Component: ComponentType;
}

/**
 * The Settings screen's groups, in order. To add one (daily limits, retention, backups …),
 * import its component and add one line, e.g. `{ id: 'scheduling', title: 'library.settings.scheduling', Component: SchedulingSettings },`.
 */
export const settingsSections: SettingsSection[] = [
  { id: 'appearance', title: 'settings.appearance', Component: AppearanceSettings },
  { id: 'scheduling', title: 'library.settings.scheduling', Component: SchedulingSettings },
  { id: 'presets', title: 'presets.title', Component: PresetSettings },
  { id: 'backups', title: 'library.backups.title', Component: BackupSettings },
];

import { createContext, useContext } from 'react';
import type { Api, Settings } from '../shared/contract';
import type { Translate, UiLocale } from '../shared/i18n';
import type { Client } from '../shared/transport';
import type { UndoController } from './undo/undo-controller';

/** Parameters a screen can be opened with (e.g. a card id); each screen reads its own. */
export type ScreenParams = Record<string, string | number | boolean | null>;

export interface Notice {
  text: string;
  kind?: 'info' | 'error';
  /** A button in the notice (Undo, Redo); the notice closes when it is pressed. */
  action?: { label: string; run(): void };
}

/** What every screen gets from the shell: the API, the language, the theme, navigation, notices. */
export interface AppServices {
  client: Client;
  /** Shorthand for client.api: `await api['review.next']({ locale })`. Failures throw AppError. */
  api: Api;
  t: Translate;
  locale: UiLocale;
  /** The theme in effect ('system' already resolved). */
  theme: 'light' | 'dark';
  settings: Settings;
  /** Saves settings through the API and applies them (language, theme) at once. */
  updateSettings(patch: Partial<Settings>): Promise<void>;
  screen: string;
  navigate(screenId: string, params?: ScreenParams): void;
  /** A short message in the notice area (polite for info, an alert for errors). */
  notify(notice: Notice): void;
  /** Shows any error in the user's language (AppError codes go through `errors.<code>`). */
  showError(error: unknown): void;
  /** The one undo and redo (the services' history), for keys, notices and buttons. */
  undo: UndoController;
}

export const AppContext = createContext<AppServices | null>(null);

/** The shell's services, for any component inside the app. */
export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp() outside <AppContext.Provider>');
  return services;
}

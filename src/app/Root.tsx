import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Api, AppInfo, Settings } from '../shared/contract';
import { AppError } from '../shared/errors';
import { defaultSettings } from '../shared/contract/settings-defaults';
import { createTranslator, resolveLocale, translateError } from '../shared/i18n';
import type { Client } from '../shared/transport';
import { AppContext, type AppServices, type Notice, type ScreenParams } from './AppContext';
import { dropAllPrefetched, prefetch, takePrefetched } from './prefetch';
import { firstCardKey } from './review/useReviewSession';
import { Shell } from './Shell';
import { DatabaseProblem } from './screens/DatabaseProblem';
import { useResolvedTheme } from './theme';
import { createUndoController } from './undo/undo-controller';

type Boot = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; info: AppInfo; settings: Settings };

function screenFromHash(): string {
  const match = /^#\/([\w-]+)/.exec(window.location.hash);
  // Review is a session: after a reload it starts again from Today.
  return match && match[1] !== 'review' ? match[1] : 'today';
}

const screenKey = 'proofdeck.screen';

/**
 * The screen to open: the URL hash names it; its parameters (the note being edited) come from
 * sessionStorage, so a reload (the browser host restarted) comes back to the same place.
 */
function initialNavigation(): { screen: string; params: ScreenParams } {
  const screen = screenFromHash();
  try {
    const saved = JSON.parse(sessionStorage.getItem(screenKey) ?? 'null') as { screen?: string; params?: ScreenParams } | null;
    if (saved?.screen === screen && saved.params) return { screen, params: saved.params };
  } catch {
    // Storage unavailable or not ours: the screen without parameters.
  }
  return { screen, params: {} };
}

/** How long the boot answers asked for by main.tsx stay usable (a page reload asks again anyway). */
const bootFreshMs = 60_000;

/**
 * Asks for everything the first screen needs at once: app info, settings and, when it is Today,
 * its counts and the session's first card (Today and Review take them from the prefetch slots). main.tsx calls this before rendering, so the round
 * trips overlap React's start instead of following it.
 */
export function prefetchBoot(client: Client): void {
  prefetch('app.info', client.api['app.info']({}));
  prefetch('settings.get', client.api['settings.get']({}));
  // Today's counts and the session's first card only when Today is the first screen: Today takes
  // them or, when left for another screen, drops the card (what comes first may change there).
  if (screenFromHash() !== 'today') return;
  prefetch('review.today', client.api['review.today']({}));
  // The first card in the language the system asks for (a language chosen in the settings differs
  // only for some; Review then asks again, see firstCardKey).
  const locale = resolveLocale(null, navigator.languages);
  prefetch(firstCardKey(locale), client.api['review.next']({ locale }));
}

/** The API, calling `onDamage` when a call fails because the database turned out to be damaged. */
function watchForDamage(api: Api, onDamage: () => void): Api {
  const watched = {} as Record<string, (args: unknown) => Promise<unknown>>;
  for (const [method, call] of Object.entries(api as unknown as Record<string, (args: unknown) => Promise<unknown>>)) {
    watched[method] = (args) =>
      call(args).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'db-corrupt') onDamage();
        throw error;
      });
  }
  return watched as unknown as Api;
}

/** Loads app info and settings, then provides the app's services to the shell. */
export function Root({ client }: { client: Client }) {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [navigation, setNavigation] = useState<{ screen: string; params: ScreenParams }>(initialNavigation);
  const [notices, setNotices] = useState<(Notice & { id: number })[]>([]);
  const noticeId = useRef(0);

  const loads = useRef(0);
  const load = useCallback(async () => {
    setBoot({ state: 'loading' });
    // Only the first load uses what main.tsx asked for; after a retry or a reset of the database
    // every earlier answer (Today's counts, the first card) may be about another database.
    if (loads.current++ > 0) dropAllPrefetched();
    try {
      // Both at once (one round trip less before Today). With a damaged database the services
      // cannot read settings, and that failure is expected: defaults until it is fixed.
      // The first time, main.tsx has asked already (prefetchBoot), before React and the card
      // renderer's chunk took the page's thread; a retry asks again.
      const pendingSettings = takePrefetched<Settings>('settings.get', bootFreshMs) ?? client.api['settings.get']({});
      pendingSettings.catch(() => {});
      const info = await (takePrefetched<AppInfo>('app.info', bootFreshMs) ?? client.api['app.info']({}));
      const settings = info.databaseProblem ? defaultSettings : await pendingSettings;
      setBoot({ state: 'ready', info, settings });
    } catch (error) {
      setBoot({ state: 'failed', error });
    }
  }, [client]);
  useEffect(() => void load(), [load]);

  const settings = boot.state === 'ready' ? boot.settings : defaultSettings;
  const locale = resolveLocale(settings.locale, navigator.languages);
  const theme = useResolvedTheme(settings.theme);
  const t = useMemo(() => createTranslator(locale), [locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dataset.theme = theme;
    document.title = t('app.name');
  }, [locale, theme, t]);

  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((notice) => notice.id !== id)), []);
  const notify = useCallback(
    (notice: Notice) => {
      const id = ++noticeId.current;
      setNotices((list) => [...list.slice(-3), { ...notice, id }]);
      setTimeout(() => dismiss(id), notice.kind === 'error' ? 10_000 : 3_500);
    },
    [dismiss],
  );

  // Damage found by any call (not only at start) closes the database in the services: show the
  // database-problem screen instead of leaving the user with one error notice after another.
  const problemShown = useRef(false);
  useEffect(() => {
    if (boot.state === 'ready') problemShown.current = boot.info.databaseProblem !== null;
  }, [boot]);
  const api = useMemo(() => {
    return watchForDamage(client.api, () => {
      if (problemShown.current) return;
      problemShown.current = true;
      void load();
    });
  }, [client, load]);

  const showError = useCallback((error: unknown) => notify({ text: translateError(t, error), kind: 'error' }), [notify, t]);
  const undo = useMemo(() => createUndoController(api, t, notify, showError), [api, t, notify, showError]);

  const services = useMemo((): AppServices => {
    // Applied at once (a radio or select shows the choice while it is saved), then replaced by
    // what the services stored, or put back if they refused it.
    const updateSettings = async (patch: Partial<Settings>) => {
      const apply = (next: (settings: Settings) => Settings) =>
        setBoot((current) => (current.state === 'ready' ? { ...current, settings: next(current.settings) } : current));
      const before = settings;
      apply((current) => ({ ...current, ...patch }));
      try {
        const saved = await api['settings.set'](patch);
        apply(() => saved);
      } catch (error) {
        apply((current) => ({ ...current, ...Object.fromEntries(Object.keys(patch).map((key) => [key, before[key as keyof Settings]])) }));
        throw error;
      }
    };
    const navigate = (screen: string, params: ScreenParams = {}) => {
      setNavigation({ screen, params });
      if (window.location.hash !== `#/${screen}`) window.history.replaceState(null, '', `#/${screen}`);
      try {
        sessionStorage.setItem(screenKey, JSON.stringify({ screen, params }));
      } catch {
        // Without storage a reload keeps the screen but not its parameters.
      }
    };
    return {
      client: { ...client, api },
      api,
      t,
      locale,
      theme,
      settings,
      updateSettings,
      screen: navigation.screen,
      navigate,
      notify,
      showError,
      undo,
    };
  }, [client, api, t, locale, theme, settings, navigation.screen, notify, showError, undo]);

  if (boot.state === 'loading') return <div className="splash">{t('app.loading')}</div>;
  if (boot.state === 'failed') {
    return (
      <div className="splash" role="alert">
        <p>{translateError(t, boot.error)}</p>
        <button type="button" className="button button-primary" autoFocus onClick={() => void load()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  return (
    <AppContext.Provider value={services}>
      {boot.info.databaseProblem ? (
        <DatabaseProblem problem={boot.info.databaseProblem} reload={load} />
      ) : (
        <Shell screen={navigation.screen} params={navigation.params} notices={notices} dismiss={dismiss} />
      )}
    </AppContext.Provider>
  );
}

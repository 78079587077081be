import type Database from 'better-sqlite3';
import { methods, type AppInfo, type Method } from '../../src/shared/contract';
import { defaultPresetConfig, defaultPresetId, type PresetConfig } from '../../src/shared/contract/presets';
import { AppError } from '../../src/shared/errors';
import type { ServiceContext } from './context';
import { createDispatch, type CallContext, type Dispatch, type Handlers } from './dispatch';
import { createHandlers, type DatabaseHandlers } from './handlers';
import { createScheduler, type Scheduler } from './scheduler/fsrs';
import { localTimeZone } from './scheduler/study-day';
import { createSettingsStore } from './settings/settings-store';
import { DatabaseSession, type DatabaseProblem } from './database-session';
import { acquireDataLock, type DataLock, type LockHolderKind } from './store/data-lock';
import { isCorruption, isDiskFull, isReadOnly } from './store/storage-errors';
import { storesFor } from './store/stores';
import { builtinDecksUpToDate, syncBuiltinDecks } from './decks/builtin';
import { scheduleDailyBackups } from './backup/daily';
import type { EngineHost } from './experiments/engine-host';
import { OpenedFiles } from './opened-files';

export type { ServiceContext } from './context';
export type { DatabaseProblem } from './database-session';

export interface ServiceOptions {
  /** Folder of proofdeck.sqlite (Electron: userData; browser host: --data). Created if absent. */
  dataDir: string;
  now?: () => number;
  /** IANA zone of the study day; the machine's by default. */
  timeZone?: string;
  host?: AppInfo['host'];
  appVersion?: string;
  resourcesDir?: string | null;
  /** Where unexpected handler errors are reported. */
  log?: (e: unknown) => void;
  /**
   * Runs after the database opens (at start and after a reset), before any call is served:
   * loading the built-in decks goes here.
   */
  onOpen?: (ctx: ServiceContext) => void;
  /** Where experiments run: the hidden engine window (Electron) or a Dawn worker (browser host). */
  engineHost?: EngineHost;
  /** Take the automatic daily backup (the app's hosts do; tests and one-shot CLIs do not). */
  dailyBackups?: boolean;
  /** How long after start the first daily-backup check runs (default 30 s). */
  backupDelayMs?: number;
  /**
   * Who takes the data folder's lock (store/data-lock.ts; default 'cli'), or 'held' when this
   * process already holds it (the browser host takes it before it listens, in another thread).
   */
  lock?: LockHolderKind | 'held';
}

export interface Services {
  /** One handler per contract method; the hosts wrap them with `dispatch`. */
  handlers: Handlers;
  /** `createDispatch(handlers)`: validates arguments and returns envelopes. */
  dispatch: Dispatch;
  /** The open database; null while a problem (damaged, newer, read-only, disk full) keeps it closed. */
  readonly db: Database.Database | null;
  readonly context: ServiceContext | null;
  readonly databaseProblem: DatabaseProblem | null;
  /** The database file (dataDir/proofdeck.sqlite). */
  readonly file: string;
  /** Deck files opened from the operating system, waiting for the UI (see opened-files.ts). */
  openedFiles: OpenedFiles;
  close(): void;
}

function createContext(db: Database.Database, options: ServiceOptions): ServiceContext {
  const store = storesFor(db);
  const settings = createSettingsStore(store.settings, store.presets);
  // The parsed options of a preset's row are one object while its text stays the same (store/presets.ts).
  const schedulers = new Map<number, { config: PresetConfig; fuzz: boolean; scheduler: Scheduler }>();
  return {
    db,
    store,
    settings,
    scheduler(presetId = defaultPresetId) {
      const fuzz = settings.get().enableFuzz;
      const preset = store.presets.byId(presetId) ?? store.presets.byId(defaultPresetId);
      const config = preset?.config ?? defaultPresetConfig;
      let entry = schedulers.get(presetId);
      if (entry?.config !== config || entry.fuzz !== fuzz) {
        entry = { config, fuzz, scheduler: createScheduler(config, { fuzz }) };
        schedulers.set(presetId, entry);
      }
      return entry.scheduler;
    },
    now: options.now ?? Date.now,
    timeZone: options.timeZone ?? localTimeZone(),
    dataDir: options.dataDir,
    resourcesDir: options.resourcesDir ?? null,
    engineHost: options.engineHost ?? null,
  };
}

/**
 * Adds or updates the decks shipped with the app (by stable id, keeping progress). A broken
 * shipped file is a bug to report, not a reason to keep the user from their reviews; a damaged
 * database, a full disk or a read-only file is the database's problem, and the user sees it.
 */
function loadBuiltinDecks(context: ServiceContext, log: (e: unknown) => void): void {
  try {
    if (context.resourcesDir && builtinDecksUpToDate(context.db, context.resourcesDir)) return;
    syncBuiltinDecks(context.db, context.resourcesDir, { now: context.now() });
  } catch (e) {
    if (isCorruption(e) || isDiskFull(e) || isReadOnly(e)) throw e;
    log(e);
  }
}

/**
 * The services behind the contract, for every host (Electron main, browser host, CLI, tests).
 * They take the data folder's lock first (one writer per folder): another process holding it is
 * the one failure that stops them ('db-locked'). A database that cannot be used (damaged, from a
 * newer app, read-only, on a full disk) does not: they start degraded, `app.info` reports the
 * problem, `app.resetDatabase` moves a damaged or newer file aside and opens a fresh one, and every
 * other method fails with the problem's typed error.
 */
export function createServices(options: ServiceOptions): Services {
  const log = options.log ?? console.error;
  let lock: DataLock | null = null;
  let areaHandlers: DatabaseHandlers | null = null;
  const session = new DatabaseSession(options.dataDir, (db) => {
    const context = createContext(db, options);
    loadBuiltinDecks(context, log);
    options.onOpen?.(context);
    areaHandlers = createHandlers(context);
    return context;
  });
  const file = session.file;
  // The lock before the database, at start and whenever the open is tried again.
  const open = () => {
    if (!lock && options.lock !== 'held') {
      try {
        lock = acquireDataLock(options.dataDir, options.lock ?? 'cli');
      } catch (e) {
        // A folder that cannot be written cannot be written by anyone: shown as the problem.
        if (e instanceof AppError && e.code === 'read-only') return session.closedBy(e);
        throw e;
      }
    }
    session.open();
    if (!session.context) areaHandlers = null;
  };
  try {
    open();
  } catch (e) {
    // Services that never started hold nothing: another process may take the folder.
    (lock as DataLock | null)?.release();
    throw e;
  }
  const stopBackups = options.dailyBackups
    ? scheduleDailyBackups(() => session.context, (e) => (isCorruption(e) ? session.degrade(e) : log(e)), options.backupDelayMs)
    : () => {};

  const handlers = {} as Record<Method, (args: unknown, call: CallContext) => unknown>;
  for (const m of methods) {
    handlers[m] = (args, call) => {
      session.require();
      const handler = areaHandlers?.[m as keyof DatabaseHandlers] as ((a: unknown, c: CallContext) => unknown) | undefined;
      if (!handler) throw new Error(`no handler for '${m}': add its area's spread to electron/services/handlers.ts`);
      try {
        const value = handler(args, call);
        return value instanceof Promise ? value.catch((e: unknown) => session.fail(e)) : value;
      } catch (e) {
        return session.fail(e);
      }
    };
  }
  handlers['app.info'] = () => {
    if (session.problemMayPass) open();
    return {
      version: options.appVersion ?? process.env.npm_package_version ?? '0.0.0',
      host: options.host ?? 'browser',
      dataDir: options.dataDir,
      databaseProblem: session.problem,
    };
  };
  // Kept outside the database: a file opened while the database has a problem waits for the fix.
  const openedFiles = new OpenedFiles();
  handlers['decks.openedFiles'] = () => openedFiles.take();
  handlers['app.resetDatabase'] = () => {
    // Only the process holding the folder may move its database: another one may be writing it.
    if (!lock && options.lock !== 'held') throw new AppError('read-only', `cannot lock ${options.dataDir}`, { path: options.dataDir });
    const movedTo = session.reset((options.now ?? Date.now)());
    if (!session.context) areaHandlers = null;
    return { movedTo };
  };

  const typed = handlers as unknown as Handlers;
  return {
    handlers: typed,
    dispatch: createDispatch(typed, log),
    get db() {
      return session.context?.db ?? null;
    },
    get context() {
      return session.context;
    },
    get databaseProblem() {
      return session.problem;
    },
    file,
    openedFiles,
    close() {
      stopBackups();
      session.closeCleanly();
      lock?.release();
      lock = null;
    },
  };
}

import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { methods, type AppInfo, type Method, type Settings } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import type { ServiceContext } from './context';
import { createDispatch, type CallContext, type Dispatch, type Handlers } from './dispatch';
import { createHandlers, type DatabaseHandlers } from './handlers';
import { createScheduler, type Scheduler } from './scheduler/fsrs';
import { localTimeZone } from './scheduler/study-day';
import { createSettingsStore } from './settings/settings-store';
import { databaseFileName, isCorruption, moveAside, openDatabase } from './store/database';
import { createSql } from './store/sql';
import { builtinDecksUpToDate, syncBuiltinDecks } from './decks/builtin';
import { scheduleDailyBackups } from './backup/daily';
import { disposeExperimentService } from './experiments/handlers';
import type { EngineHost } from './experiments/engine-host';
import { OpenedFiles } from './opened-files';

export type { ServiceContext } from './context';

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
}

export type DatabaseProblem = NonNullable<AppInfo['databaseProblem']>;

export interface Services {
  /** One handler per contract method; the hosts wrap them with `dispatch`. */
  handlers: Handlers;
  /** `createDispatch(handlers)`: validates arguments and returns envelopes. */
  dispatch: Dispatch;
  /** The open database; null while a problem (corrupt, newer) keeps it closed. */
  readonly db: Database.Database | null;
  readonly context: ServiceContext | null;
  readonly databaseProblem: DatabaseProblem | null;
  /** Deck files opened from the operating system, waiting for the UI (see opened-files.ts). */
  openedFiles: OpenedFiles;
  close(): void;
}

function createContext(db: Database.Database, options: ServiceOptions): ServiceContext {
  const sql = createSql(db);
  const settings = createSettingsStore(sql);
  let scheduledFor: Settings | undefined;
  let scheduler: Scheduler | undefined;
  return {
    db,
    sql,
    settings,
    scheduler() {
      const current = settings.get();
      if (current !== scheduledFor || !scheduler) {
        scheduler = createScheduler(current);
        scheduledFor = current;
      }
      return scheduler;
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
 * shipped file is a bug to report, not a reason to keep the user from their reviews.
 */
function loadBuiltinDecks(context: ServiceContext, log: (e: unknown) => void): void {
  try {
    if (context.resourcesDir && builtinDecksUpToDate(context.db, context.resourcesDir)) return;
    syncBuiltinDecks(context.db, context.resourcesDir, { now: context.now() });
  } catch (e) {
    if (isCorruption(e)) throw e;
    log(e);
  }
}

/**
 * The services behind the contract, for every host (Electron main, browser host, CLI, tests).
 * A database that cannot be used (corrupt, or from a newer app) does not stop them: they start
 * degraded, `app.info` reports the problem, `app.resetDatabase` moves the file aside and opens a
 * fresh one, and every other method fails with the problem's typed error.
 */
export function createServices(options: ServiceOptions): Services {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, databaseFileName);
  let context: ServiceContext | null = null;
  let areaHandlers: DatabaseHandlers | null = null;
  let problem: DatabaseProblem | null = null;

  const open = () => {
    try {
      const db = openDatabase(file);
      context = createContext(db, options);
      loadBuiltinDecks(context, options.log ?? console.error);
      options.onOpen?.(context);
      areaHandlers = createHandlers(context);
      problem = null;
    } catch (e) {
      if (context) context.db.close();
      context = null;
      areaHandlers = null;
      if (e instanceof AppError && (e.code === 'db-corrupt' || e.code === 'db-newer')) {
        problem = { code: e.code, message: e.message, path: file };
        return;
      }
      throw e;
    }
  };
  // Damage met on a page a statement reads: stop writing to the file and offer to move it aside.
  const degradeOnCorruption = (e: unknown): never => {
    if (!isCorruption(e)) throw e;
    close();
    problem = { code: 'db-corrupt', message: `${file} is damaged: ${(e as Error).message}`, path: file };
    throw new AppError('db-corrupt', problem.message, { path: file });
  };
  const close = () => {
    // The run service stops its run (and the engine host) before its database closes.
    if (context) void disposeExperimentService(context.db);
    context?.db.close();
    context = null;
    areaHandlers = null;
  };
  open();
  const stopBackups = options.dailyBackups ? scheduleDailyBackups(() => context, options.log, options.backupDelayMs) : () => {};

  const handlers = {} as Record<Method, (args: unknown, call: CallContext) => unknown>;
  for (const m of methods) {
    handlers[m] = (args, call) => {
      if (!areaHandlers) {
        const p = problem ?? { code: 'db-corrupt' as const, message: 'the database is closed', path: file };
        throw new AppError(p.code, p.message, { path: p.path });
      }
      const handler = areaHandlers[m as keyof DatabaseHandlers] as ((a: unknown, c: CallContext) => unknown) | undefined;
      if (!handler) throw new Error(`no handler for '${m}': add its area's spread to electron/services/handlers.ts`);
      try {
        const value = handler(args, call);
        return value instanceof Promise ? value.catch(degradeOnCorruption) : value;
      } catch (e) {
        return degradeOnCorruption(e);
      }
    };
  }
  handlers['app.info'] = () => ({
    version: options.appVersion ?? process.env.npm_package_version ?? '0.0.0',
    host: options.host ?? 'browser',
    dataDir: options.dataDir,
    databaseProblem: problem,
  });
  // Kept outside the database: a file opened while the database has a problem waits for the fix.
  const openedFiles = new OpenedFiles();
  handlers['decks.openedFiles'] = () => openedFiles.take();
  handlers['app.resetDatabase'] = () => {
    close();
    const movedTo = moveAside(file, (options.now ?? Date.now)());
    open();
    if (problem) throw new AppError(problem.code, problem.message, { path: problem.path });
    return { movedTo };
  };

  const typed = handlers as unknown as Handlers;
  return {
    handlers: typed,
    dispatch: createDispatch(typed, options.log),
    get db() {
      return context?.db ?? null;
    },
    get context() {
      return context;
    },
    get databaseProblem() {
      return problem;
    },
    openedFiles,
    close() {
      stopBackups();
      close();
    },
  };
}

import type Database from 'better-sqlite3';
import type { Stores } from './store/stores';
import type { SettingsStore } from './settings/settings-store';
import type { Scheduler } from './scheduler/fsrs';
import type { EngineHost } from './experiments/engine-host';

/** What every service handler gets: one open database and the clock and place it runs in. */
export interface ServiceContext {
  /**
   * The better-sqlite3 connection (WAL, foreign keys on, migrated), for what works on the whole
   * file: backups and restores, closing. Every statement goes through `store`.
   */
  db: Database.Database;
  /** One store per table: all of the app's SQL. */
  store: Stores;
  settings: SettingsStore;
  /** FSRS configured from a preset's options (Default when none is named), rebuilt when they change. */
  scheduler(presetId?: number): Scheduler;
  /** ms since the epoch; tests pass a fixed clock. */
  now(): number;
  /** IANA time zone of the study day ('Asia/Seoul'); defaults to the machine's. */
  timeZone: string;
  dataDir: string;
  /** Where built-in decks and other packaged files live, when the host knows. */
  resourcesDir: string | null;
  /** Where experiments run (hidden engine window, Dawn worker); none: CPU reference only. */
  engineHost?: EngineHost | null;
}

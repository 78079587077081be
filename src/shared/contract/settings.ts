import { z } from 'zod';
import { method } from './define';

export const Locale = z.enum(['ko', 'en']);
export type Locale = z.infer<typeof Locale>;
export const Theme = z.enum(['light', 'dark', 'system']);
export type Theme = z.infer<typeof Theme>;

/** A learning step: '1m', '10m', '1h', '1d'. */
export const Step = z.string().regex(/^\d{1,4}[mhd]$/, 'a step is a number followed by m, h or d');

/**
 * The collection's settings. The daily limits, steps, retention, bury rule and FSRS weights here
 * are the Default preset's (presets.ts): reading or writing them reads or writes that preset.
 */
export const Settings = z.object({
  /** null: follow the OS / browser locale. */
  locale: Locale.nullable(),
  theme: Theme,
  newPerDay: z.number().int().min(0).max(9999),
  reviewsPerDay: z.number().int().min(0).max(99999),
  desiredRetention: z.number().min(0.7).max(0.99),
  /** Hour (local time) at which a new study day starts, as in Anki. */
  dayStartHour: z.number().int().min(0).max(23),
  learningSteps: z.array(Step).max(10),
  relearningSteps: z.array(Step).max(10),
  enableFuzz: z.boolean(),
  /**
   * Anki's load balancing: a review's due day is picked within the fuzz range where the day's load
   * (of the card's preset) is lightest, weighted by interval, so the daily load flattens.
   */
  loadBalancing: z.boolean(),
  /**
   * After an answer, the note's other new and review cards (a cloze's other numbers, a reversed
   * card's other side) wait until the next study day, so one card does not give another away.
   */
  burySiblings: z.boolean(),
  /** The 21 FSRS-6 weights; null means ts-fsrs defaults. */
  fsrsWeights: z.array(z.number()).length(21).nullable(),
  backupDir: z.string().max(4096).nullable(),
});
export type Settings = z.infer<typeof Settings>;

export { defaultSettings } from './settings-defaults';

export const AppInfo = z.object({
  version: z.string(),
  /** 'electron' or 'browser': which host serves the API. */
  host: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  /** Set when the database could not be opened (corrupt, newer): the UI offers to move it aside. */
  /** Why the database is closed: damaged or newer (move it aside), read-only or a full disk (fix it, then try again). */
  databaseProblem: z.object({ code: z.enum(['db-corrupt', 'db-newer', 'read-only', 'disk-full']), message: z.string(), path: z.string() }).nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const settingsContract = {
  'app.info': method(z.object({}).strict(), AppInfo),
  /** Moves a corrupt or newer database aside (renamed, never deleted) and starts a fresh one. */
  'app.resetDatabase': method(z.object({ confirm: z.literal(true) }).strict(), z.object({ movedTo: z.string() })),
  'settings.get': method(z.object({}).strict(), Settings),
  'settings.set': method(Settings.partial().strict(), Settings),
};

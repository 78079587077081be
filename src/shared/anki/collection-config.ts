import type { AnkiTiming } from './day-clock';

/**
 * The collection config (`col.conf` in a schema-11 collection, the `config` table from schema 14)
 * that decides how Anki reads a package's scheduling. References are to ankitects/anki 25.09.
 *
 * Why it matters on import: Anki opens the package as a collection of its own and, if any card
 * is not new, runs `maybe_upgrade_scheduler` (rslib/src/import_export/package/apkg/import/mod.rs).
 * A collection without `schedVer` 2 counts as the v1 scheduler (config/mod.rs
 * `scheduler_version`, default V1), and the upgrade (scheduler/upgrade.rs
 * `upgrade_to_v2_scheduler`) rewrites its review log with storage/revlog/v2_upgrade.sql:
 * `UPDATE revlog SET ease = ease + 1 WHERE ease IN (2, 3) AND type IN (0, 2)` — v1 had three
 * buttons while learning, so every learning or relearning answer rated Hard becomes Good and
 * every Good becomes Easy. With `schedVer: 2` the upgrade is a no-op and ratings stay as written.
 * The day numbers of review cards are read with the package's own timing (crt, `rollover`,
 * `creationOffset`) and shifted onto the target collection's days (import/cards.rs
 * `shift_collection_relative_dates`), so those keys must describe the days the exporter counted.
 */

/** The keys Anki writes into a new schema-11 collection (config/schema11.rs `schema11_config_as_string`). */
export interface AnkiCollectionConf {
  activeDecks: number[];
  curDeck: number;
  newSpread: number;
  collapseTime: number;
  timeLim: number;
  estTimes: boolean;
  dueCounts: boolean;
  curModel: number | null;
  nextPos: number;
  sortType: string;
  sortBackwards: boolean;
  addToCur: boolean;
  dayLearnFirst: boolean;
  /** 2: the v2 scheduler, so no v1 → v2 upgrade of the review log on import. */
  schedVer: 2;
  /** Minutes west of UTC at creation: selects the v2 day cut-off by local calendar date. */
  creationOffset: number;
  /** The v3 scheduler (config/bool.rs `Sched2021`), which every Anki since 23.10 uses. */
  sched2021: true;
  /** The hour a day starts (config/mod.rs `ConfigKey::Rollover`, read by `get_v2_rollover`). */
  rollover: number;
}

export interface CollectionConfOptions {
  /** The deck the package opens on (`curDeck`, `activeDecks`). */
  deckId: number;
  /** Minutes west of UTC of the exporting user at `col.crt` (JavaScript's `Date#getTimezoneOffset` sign). */
  creationMinutesWest: number;
  /** The user's study-day rollover hour. */
  rolloverHour: number;
  /** One past the highest new-card position written. */
  nextPosition: number;
  notetypeId?: number | null;
}

/**
 * The `col.conf` an .apkg export carries: the schema-11 defaults Anki itself writes, with
 * `schedVer` 2 and `sched2021` (v3), and the day timing (`creationOffset`, `rollover`) that the
 * exporter used to count review days (see `ankiDayClock`).
 */
export function ankiCollectionConf(options: CollectionConfOptions): AnkiCollectionConf {
  if (!Number.isInteger(options.creationMinutesWest) || Math.abs(options.creationMinutesWest) >= 24 * 60) {
    throw new RangeError(`creationMinutesWest ${options.creationMinutesWest} is not a UTC offset in minutes`);
  }
  if (!Number.isInteger(options.rolloverHour) || options.rolloverHour < 0 || options.rolloverHour > 23) {
    throw new RangeError(`rolloverHour ${options.rolloverHour} is not an hour of the day`);
  }
  return {
    activeDecks: [options.deckId],
    curDeck: options.deckId,
    newSpread: 0,
    collapseTime: 1200,
    timeLim: 0,
    estTimes: true,
    dueCounts: true,
    curModel: options.notetypeId ?? null,
    nextPos: options.nextPosition,
    sortType: 'noteFld',
    sortBackwards: false,
    addToCur: true,
    dayLearnFirst: false,
    schedVer: 2,
    creationOffset: options.creationMinutesWest,
    sched2021: true,
    rollover: options.rolloverHour,
  };
}

/**
 * A package's collection config as Anki reads it: `col.conf` JSON (schema 11) or the `config`
 * table's key → JSON value pairs (schema 14+), as a plain object.
 */
export type CollectionConfig = Record<string, unknown>;

/** config/mod.rs `scheduler_version`: 2 only when `schedVer` is 2; missing or anything else is v1. */
export function schedulerVersionOf(config: CollectionConfig): 1 | 2 {
  return config.schedVer === 2 ? 2 : 1;
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/**
 * The timing a package's day numbers were counted with. `rollover` is a u8 capped at 23, 4 when
 * missing (scheduler/mod.rs `timing_for_timestamp`); `creationOffset` counts only on v2.
 */
export function ankiTimingOf(creationSeconds: number, config: CollectionConfig): AnkiTiming {
  const schedulerVersion = schedulerVersionOf(config);
  const rollover = isInteger(config.rollover) && config.rollover >= 0 && config.rollover <= 255 ? Math.min(23, config.rollover) : 4;
  const offset = config.creationOffset;
  return {
    creationSeconds,
    schedulerVersion,
    rolloverHour: rollover,
    creationMinutesWest: schedulerVersion === 2 && isInteger(offset) ? offset : null,
  };
}

/**
 * The rating ProofDeck should read from an Anki review-log row. For a v1 package it is what Anki
 * makes of it on its own upgrade (storage/revlog/v2_upgrade.sql): learning (type 0) and
 * relearning (type 2) answers 2 and 3 were Good and Easy on v1's three buttons.
 */
export function ratingFromAnkiReview(ease: number, reviewType: number, schedulerVersion: 1 | 2): number {
  if (!Number.isInteger(ease) || ease < 0 || ease > 4) return 0;
  if (schedulerVersion === 1 && (ease === 2 || ease === 3) && (reviewType === 0 || reviewType === 2)) return ease + 1;
  return ease;
}

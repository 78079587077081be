// Test helper: what Anki does to a package's scheduling when it imports it into a collection of
// its own and exports that collection again, ported from ankitects/anki (rslib/src):
//
// - import_export/package/apkg/import/mod.rs: a collection whose config is not `schedVer` 2 is
//   upgraded to v2 first (scheduler/upgrade.rs): the review log's learning and relearning answers
//   2 and 3 become 3 and 4 (storage/revlog/v2_upgrade.sql), and a review card in a learning queue
//   becomes relearning (`Card::upgrade_to_v2`);
// - apkg/import/cards.rs `shift_collection_relative_dates`: day numbers (the review and day-learn
//   queues, and any review card) move by the difference between the package's today and the
//   target collection's today, both on their own day clocks;
// - export: the collection's own crt and config go out; fields, note types and the review log as
//   they are.
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { ankiCollectionConf, ankiTimingOf, schedulerVersionOf } from '../../../src/shared/anki/collection-config';
import { ankiDayClock, type MinutesWestAt } from '../../../src/shared/anki/day-clock';

export interface AnkiCollection {
  /** The target collection's creation time (seconds) and the minutes west of UTC it was created at. */
  crt: number;
  creationMinutesWest: number;
  rolloverHour: number;
  /** The machine's offset (Anki reads "today" in the machine's time zone). */
  westAt: MinutesWestAt;
}

/** A legacy (collection.anki2) package, imported by Anki into `target` at `now` and exported again. */
export function throughAnki(apkg: Uint8Array, target: AnkiCollection, now: number): Uint8Array {
  const files: Record<string, Uint8Array> = unzipSync(apkg);
  const db = new Database(Buffer.from(files['collection.anki2']));
  try {
    const col = db.prepare('SELECT crt, conf FROM col').get() as { crt: number; conf: string };
    const conf = JSON.parse(col.conf || '{}') as Record<string, unknown>;
    const studied = (db.prepare('SELECT COUNT(*) FROM cards WHERE type != 0').pluck().get() as number) > 0;
    if (schedulerVersionOf(conf) === 1 && studied) {
      db.exec('UPDATE revlog SET ease = ease + 1 WHERE ease IN (2, 3) AND type IN (0, 2)');
      db.exec('UPDATE cards SET type = 3 WHERE type = 2 AND queue IN (1, 3)');
    }
    const source = ankiDayClock(ankiTimingOf(col.crt, conf), target.westAt);
    const own = ankiDayClock({ creationSeconds: target.crt, schedulerVersion: 2, rolloverHour: target.rolloverHour, creationMinutesWest: target.creationMinutesWest }, target.westAt);
    const delta = source.dayAt(now) - own.dayAt(now);
    db.prepare('UPDATE cards SET due = due - ? WHERE queue IN (2, 3) OR type = 2').run(delta);
    db.prepare('UPDATE cards SET odue = odue - ? WHERE type = 2 AND odue != 0').run(delta);
    const deckId = db.prepare('SELECT did FROM cards LIMIT 1').pluck().get() as number;
    const nextPos = ((db.prepare('SELECT MAX(due) FROM cards WHERE type = 0').pluck().get() as number | null) ?? 0) + 1;
    const ankiConf = ankiCollectionConf({ deckId, creationMinutesWest: target.creationMinutesWest, rolloverHour: target.rolloverHour, nextPosition: nextPos });
    db.prepare('UPDATE col SET crt = ?, conf = ?').run(target.crt, JSON.stringify(ankiConf));
    files['collection.anki2'] = new Uint8Array(db.serialize());
  } finally {
    db.close();
  }
  return zipSync(files);
}

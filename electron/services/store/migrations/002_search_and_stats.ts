import type { Migration } from './types';

/**
 * Indexes for the card browser and statistics over large collections (100,000 cards,
 * 1,000,000 review-log rows):
 * - `notes_text`: an FTS5 trigram index over every field, so free-text search (Korean included)
 *   is an index lookup, kept in step with `notes` by triggers.
 * - `revlog_buckets`: review-log totals per quarter hour (UTC), kept by triggers, so statistics
 *   for any day-start hour and time zone add up at most a few tens of thousands of rows instead of
 *   scanning the whole log.
 */
export const migration002: Migration = {
  version: 2,
  name: 'search-and-stats',
  sql: `
CREATE INDEX cards_due ON cards(due);
CREATE INDEX cards_note ON cards(note_id);

CREATE VIRTUAL TABLE notes_text USING fts5(
  front, back, context, translations,
  content = 'notes', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO notes_text (rowid, front, back, context, translations)
  SELECT id, front, back, context, IFNULL(translations, '') FROM notes;
CREATE TRIGGER notes_text_ai AFTER INSERT ON notes BEGIN
  INSERT INTO notes_text (rowid, front, back, context, translations)
  VALUES (new.id, new.front, new.back, new.context, IFNULL(new.translations, ''));
END;
CREATE TRIGGER notes_text_ad AFTER DELETE ON notes BEGIN
  INSERT INTO notes_text (notes_text, rowid, front, back, context, translations)
  VALUES ('delete', old.id, old.front, old.back, old.context, IFNULL(old.translations, ''));
END;
CREATE TRIGGER notes_text_au AFTER UPDATE OF front, back, context, translations ON notes BEGIN
  INSERT INTO notes_text (notes_text, rowid, front, back, context, translations)
  VALUES ('delete', old.id, old.front, old.back, old.context, IFNULL(old.translations, ''));
  INSERT INTO notes_text (rowid, front, back, context, translations)
  VALUES (new.id, new.front, new.back, new.context, IFNULL(new.translations, ''));
END;

-- bucket = revlog.id / 900000 (a quarter hour). young/mature follow Anki: an interval of 21 days.
CREATE TABLE revlog_buckets (
  bucket INTEGER PRIMARY KEY,
  reviews INTEGER NOT NULL DEFAULT 0,
  learn INTEGER NOT NULL DEFAULT 0,
  review INTEGER NOT NULL DEFAULT 0,
  relearn INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  young_total INTEGER NOT NULL DEFAULT 0,
  young_passed INTEGER NOT NULL DEFAULT 0,
  mature_total INTEGER NOT NULL DEFAULT 0,
  mature_passed INTEGER NOT NULL DEFAULT 0
);
INSERT INTO revlog_buckets
  SELECT id / 900000, count(*), sum(state IN (0, 1)), sum(state = 2), sum(state = 3), sum(duration_ms),
         sum(state = 2 AND elapsed_days < 21), sum(state = 2 AND elapsed_days < 21 AND rating > 1),
         sum(state = 2 AND elapsed_days >= 21), sum(state = 2 AND elapsed_days >= 21 AND rating > 1)
  FROM revlog GROUP BY id / 900000;
CREATE TRIGGER revlog_buckets_ai AFTER INSERT ON revlog BEGIN
  INSERT INTO revlog_buckets VALUES (
    new.id / 900000, 1, new.state IN (0, 1), new.state = 2, new.state = 3, new.duration_ms,
    new.state = 2 AND new.elapsed_days < 21, new.state = 2 AND new.elapsed_days < 21 AND new.rating > 1,
    new.state = 2 AND new.elapsed_days >= 21, new.state = 2 AND new.elapsed_days >= 21 AND new.rating > 1)
  ON CONFLICT (bucket) DO UPDATE SET
    reviews = reviews + 1, learn = learn + excluded.learn, review = review + excluded.review,
    relearn = relearn + excluded.relearn, duration_ms = duration_ms + excluded.duration_ms,
    young_total = young_total + excluded.young_total, young_passed = young_passed + excluded.young_passed,
    mature_total = mature_total + excluded.mature_total, mature_passed = mature_passed + excluded.mature_passed;
END;
CREATE TRIGGER revlog_buckets_ad AFTER DELETE ON revlog BEGIN
  UPDATE revlog_buckets SET
    reviews = reviews - 1, learn = learn - (old.state IN (0, 1)), review = review - (old.state = 2),
    relearn = relearn - (old.state = 3), duration_ms = duration_ms - old.duration_ms,
    young_total = young_total - (old.state = 2 AND old.elapsed_days < 21),
    young_passed = young_passed - (old.state = 2 AND old.elapsed_days < 21 AND old.rating > 1),
    mature_total = mature_total - (old.state = 2 AND old.elapsed_days >= 21),
    mature_passed = mature_passed - (old.state = 2 AND old.elapsed_days >= 21 AND old.rating > 1)
  WHERE bucket = old.id / 900000;
END;
`,
};

import type { Migration } from './types';

/**
 * Options presets, as Anki's deck options: daily limits, steps, desired retention, bury rules,
 * maximum interval, easy days and FSRS weights, one row per preset, the options as JSON
 * (contract/presets.ts checks them on read). A deck uses the preset `decks.preset_id` names; null
 * is Default (row 1, which cannot be deleted). Default starts with the options the collection had
 * in `settings` (the keys read there from now on through that preset).
 *
 * (The column is nullable: SQLite refuses to add a column with a REFERENCES clause and a
 * non-null default while foreign keys are on.)
 */
export const migration008: Migration = {
  version: 8,
  name: 'presets',
  creates: 'presets',
  sql: `
CREATE TABLE presets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,
  created INTEGER NOT NULL,
  modified INTEGER NOT NULL
);
ALTER TABLE decks ADD COLUMN preset_id INTEGER REFERENCES presets(id) ON DELETE SET NULL;
CREATE INDEX decks_preset ON decks(preset_id);

-- Default: the collection's stored options over Anki's defaults (a value that is not valid JSON
-- is left out, and the preset's reader falls back to the default for it).
INSERT INTO presets (id, name, config, created, modified)
SELECT 1, 'Default', json_object(
  'newPerDay', json(IFNULL((SELECT value FROM settings WHERE key = 'newPerDay' AND json_valid(value)), '20')),
  'reviewsPerDay', json(IFNULL((SELECT value FROM settings WHERE key = 'reviewsPerDay' AND json_valid(value)), '200')),
  'learningSteps', json(IFNULL((SELECT value FROM settings WHERE key = 'learningSteps' AND json_valid(value)), '["1m","10m"]')),
  'relearningSteps', json(IFNULL((SELECT value FROM settings WHERE key = 'relearningSteps' AND json_valid(value)), '["10m"]')),
  'desiredRetention', json(IFNULL((SELECT value FROM settings WHERE key = 'desiredRetention' AND json_valid(value)), '0.9')),
  'buryNew', json(IFNULL((SELECT value FROM settings WHERE key = 'burySiblings' AND json_valid(value)), 'true')),
  'buryReviews', json(IFNULL((SELECT value FROM settings WHERE key = 'burySiblings' AND json_valid(value)), 'true')),
  'maximumInterval', 36500,
  'fsrsWeights', json(IFNULL((SELECT value FROM settings WHERE key = 'fsrsWeights' AND json_valid(value)), 'null')),
  'easyDays', json('[1,1,1,1,1,1,1]')
), CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000;
DELETE FROM settings WHERE key IN ('newPerDay', 'reviewsPerDay', 'learningSteps', 'relearningSteps', 'desiredRetention', 'burySiblings', 'fsrsWeights');
`,
};

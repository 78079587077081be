import type { Migration } from './types';

/**
 * The tables of DESIGN.md. Times are milliseconds since the epoch (UTC). Card and review-log
 * columns mirror ts-fsrs's Card and ReviewLog so the FSRS optimizer can be re-run on revlog.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE decks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  -- stable key of a deck shipped with the app ('kv-flash'); null for user and imported decks
  builtin_key TEXT UNIQUE,
  builtin_version INTEGER,
  created INTEGER NOT NULL,
  modified INTEGER NOT NULL
);

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  -- stable across exports and imports: merges update by guid, never duplicate
  guid TEXT NOT NULL UNIQUE,
  deck_id INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
  -- Markdown, in the note's primary language
  front TEXT NOT NULL,
  back TEXT NOT NULL,
  context TEXT NOT NULL DEFAULT '',
  language TEXT,
  -- JSON {"en": {"front","back","context"}, ...}: the same card in other languages
  translations TEXT,
  -- space-separated, as Anki stores them
  tags TEXT NOT NULL DEFAULT '',
  experiment_id TEXT,
  experiment_params TEXT,
  -- hash of the fields as last imported/loaded: tells a local edit from an upstream change
  source_hash TEXT,
  created INTEGER NOT NULL,
  modified INTEGER NOT NULL
);
CREATE INDEX notes_deck ON notes(deck_id);

CREATE TABLE cards (
  id INTEGER PRIMARY KEY,
  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL DEFAULT 0,
  due INTEGER NOT NULL,
  stability REAL NOT NULL DEFAULT 0,
  difficulty REAL NOT NULL DEFAULT 0,
  elapsed_days INTEGER NOT NULL DEFAULT 0,
  scheduled_days INTEGER NOT NULL DEFAULT 0,
  learning_steps INTEGER NOT NULL DEFAULT 0,
  reps INTEGER NOT NULL DEFAULT 0,
  lapses INTEGER NOT NULL DEFAULT 0,
  -- ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning
  state INTEGER NOT NULL DEFAULT 0,
  last_review INTEGER,
  suspended INTEGER NOT NULL DEFAULT 0,
  -- buried until this time (start of the next study day); null when not buried
  buried_until INTEGER,
  -- order in which new cards are introduced
  new_position INTEGER NOT NULL DEFAULT 0,
  UNIQUE (note_id, ord)
);
-- today's queue: (re)learning and reviews by due time, new cards in their introduction order;
-- suspended/buried_until make them covering, so counting a queue never reads the table
CREATE INDEX cards_queue ON cards(state, due, suspended, buried_until);
CREATE INDEX cards_new ON cards(state, new_position, suspended, buried_until);

CREATE TABLE revlog (
  -- time of the answer in ms; unique (bumped by 1 on a collision)
  id INTEGER PRIMARY KEY,
  card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  rating INTEGER NOT NULL,
  -- state before the answer, and the schedule the answer produced
  state INTEGER NOT NULL,
  due INTEGER NOT NULL,
  stability REAL NOT NULL,
  difficulty REAL NOT NULL,
  elapsed_days INTEGER NOT NULL,
  last_elapsed_days INTEGER NOT NULL,
  scheduled_days INTEGER NOT NULL,
  learning_steps INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  -- JSON of the card row before the answer: what undo restores
  prev_card TEXT
);
CREATE INDEX revlog_card ON revlog(card_id, id);

CREATE TABLE experiment_runs (
  id INTEGER PRIMARY KEY,
  experiment_id TEXT NOT NULL,
  note_id INTEGER REFERENCES notes(id) ON DELETE SET NULL,
  params TEXT NOT NULL,
  -- JSON DeviceInfo
  device TEXT,
  -- 'running' | 'done' | 'failed' | 'cancelled'
  status TEXT NOT NULL,
  error TEXT,
  -- JSON ExperimentResult
  result TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  wall_ms REAL
);
CREATE INDEX experiment_runs_experiment ON experiment_runs(experiment_id, started_at);

CREATE TABLE media (
  name TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  sha1 TEXT NOT NULL,
  data BLOB NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};

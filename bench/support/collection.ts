import Database from 'better-sqlite3';
import { migrations } from '../../electron/services/store/migrations';
import { seededRandom } from '../../src/shared/random';

const DAY_MS = 86_400_000;

const words = ['attention', 'cache', 'tensor', 'kernel', '메모리', '어텐션', '캐시', 'softmax', 'tile', 'decode', '토큰', 'prefill', 'bandwidth', 'HBM', 'SRAM'];

/**
 * Writes a collection of `cards` notes/cards and `revlog` review-log rows into a fresh file with
 * the app's own migrations: the shape a heavy user's database has after years of reviews.
 */
export function generateCollection(file: string, cards: number, revlog: number, now = Date.now(), seed = 1): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  for (const m of migrations) db.exec(m.sql);
  db.pragma(`user_version = ${migrations[migrations.length - 1].version}`);
  const rnd = seededRandom(seed);
  const insertDeck = db.prepare(`INSERT INTO decks (name, created, modified) VALUES (?, ?, ?)`);
  const insertNote = db.prepare(
    `INSERT INTO notes (id, guid, deck_id, front, back, context, tags, created, modified) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)`,
  );
  const insertCard = db.prepare(
    `INSERT INTO cards (id, note_id, due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state, last_review, suspended, new_position)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRevlog = db.prepare(
    `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?)`,
  );
  db.transaction(() => {
    const deckIds = ['Interview::LLM', 'Interview::Systems', 'Korean', 'Misc'].map((name) => Number(insertDeck.run(name, now, now).lastInsertRowid));
    for (let i = 1; i <= cards; i++) {
      const text = `${words[i % words.length]} ${words[(i * 7) % words.length]} question ${i}`;
      insertNote.run(i, `g${i}`, deckIds[i % deckIds.length], text, `answer ${i} ${words[(i * 3) % words.length]}`, i % 5 === 0 ? 'hard llm' : 'llm', now, now);
      const state = i % 10 < 3 ? 0 : i % 10 < 4 ? 1 : 2;
      const ivl = state === 2 ? 1 + Math.floor(rnd() * 200) : 0;
      const due = state === 0 ? now : now + Math.floor((rnd() * 60 - 20) * DAY_MS);
      const stability = state === 0 ? 0 : 0.5 + rnd() * 300;
      insertCard.run(i, i, due, stability, state === 0 ? 0 : 1 + rnd() * 9, ivl, state === 0 ? 0 : 1 + Math.floor(rnd() * 20), Math.floor(rnd() * 5), state, state === 0 ? null : due - ivl * DAY_MS, i % 97 === 0 ? 1 : 0, i);
    }
    const span = 2 * 365 * DAY_MS;
    let id = now - span;
    const step = span / revlog;
    for (let i = 0; i < revlog; i++) {
      id += step;
      const elapsed = Math.floor(rnd() * 60);
      insertRevlog.run(Math.floor(id) * 1 + (i % 1), 1 + Math.floor(rnd() * cards * 0.7), 1 + Math.floor(rnd() * 4), Math.floor(rnd() * 4), Math.floor(id) + DAY_MS, 1 + rnd() * 100, 1 + rnd() * 9, elapsed, elapsed + 1, 3000 + Math.floor(rnd() * 20000));
    }
  })();
  db.pragma('synchronous = NORMAL');
  // The same page cache the app's openDatabase sets: a large collection does not fit SQLite's 2 MB default.
  db.pragma('cache_size = -65536');
  return db;
}

/**
 * `npm run bench:store [-- --json] [--cards N] [--revlog N]`: the review loop on a heavy user's
 * collection (defaults: 100,000 cards, 1,000,000 review-log rows). Prints medians:
 * - queueMs: today's queue as the Today screen asks for it after an answer (review.today: counts,
 *   limits, streak);
 * - answerMs: review.answer (card update + log row in one transaction, then the new counts);
 * - startMs: open the database (read-only look, the seal of the last clean close, migrations) and
 *   the services, then the first review.next. Host start (window, HTTP server) is measured by the hosts.
 * - sealCheckMs / fullCheckMs: the integrity check at open. The seal (header and file stamp) is what
 *   a start after a clean close pays; quick_check over every page is what a start after a crash,
 *   after another program wrote the file, or once a week pays (startUnsealedMs: the whole start then).
 * --data DIR keeps (and reuses) the generated collection. With --json: one JSON object {"cards","revlog","queueMs","answerMs","startMs","sealCheckMs","fullCheckMs","startUnsealedMs"}; details go to stderr.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServices, type Services } from '../electron/services/index';
import { openDatabase } from '../electron/services/store/database';
import { headerIsSound, sealSuffix, sealVouches } from '../electron/services/store/integrity';
import { seededRandom } from '../src/shared/random';

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, cards: { type: 'string' }, revlog: { type: 'string' }, repeats: { type: 'string' }, data: { type: 'string' } },
});
const cardCount = Number(values.cards ?? 100_000);
const revlogCount = Number(values.revlog ?? 1_000_000);
const repeats = Number(values.repeats ?? 21);
const DAY = 86_400_000;


/** 30% new, 5% (re)learning, 65% review spread from 30 days overdue to 90 days ahead; 1% suspended. */
function generate(file: string, now: number): void {
  openDatabase(file).close(); // the app's own schema, indexes and triggers
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const random = seededRandom(7);
  const deck = db.prepare(`INSERT INTO decks (name, created, modified) VALUES (?, ?, ?)`);
  const note = db.prepare(`INSERT INTO notes (id, guid, deck_id, front, back, tags, created, modified) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?)`);
  const card = db.prepare(
    `INSERT INTO cards (id, note_id, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, state, last_review, suspended, new_position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const log = db.prepare(
    `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  db.transaction(() => {
    const decks = ['LLM::KV-cache', 'LLM::Flash-Attention', 'Systems', 'Korean'].map((name) => Number(deck.run(name, now, now).lastInsertRowid));
    for (let i = 1; i <= cardCount; i++) {
      note.run(i, `bench:${i}`, decks[i % decks.length], `Question ${i}: why is decoding memory-bound?`, `Answer ${i}`, now, now);
      const kind = random();
      const state = kind < 0.3 ? 0 : kind < 0.35 ? (random() < 0.5 ? 1 : 3) : 2;
      const interval = state === 2 ? 1 + Math.floor(random() * 300) : 0;
      const due = state === 0 ? now : state === 2 ? now + Math.floor((random() * 120 - 30) * DAY) : now + Math.floor((random() * 2 - 1) * 3_600_000);
      card.run(i, i, due, state === 0 ? 0 : 1 + random() * 200, state === 0 ? 0 : 1 + random() * 9, interval, 0, state === 0 ? 0 : 1 + Math.floor(random() * 20),
        Math.floor(random() * 3), state, state === 0 ? null : due - interval * DAY, random() < 0.01 ? 1 : 0, i);
    }
    // Two years of history, ending an hour ago (so today already has reviews).
    const span = 2 * 365 * DAY;
    for (let i = 0; i < revlogCount; i++) {
      const id = now - 3_600_000 - span + Math.floor((i * span) / revlogCount);
      const elapsed = Math.floor(random() * 60);
      log.run(id, 1 + Math.floor(random() * cardCount * 0.7), 1 + Math.floor(random() * 4), Math.floor(random() * 4), id + DAY, 1 + random() * 100,
        1 + random() * 9, elapsed, elapsed, 1 + elapsed, 3000 + Math.floor(random() * 20000));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const noCall = { emit: () => {} };

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await work();
  return [performance.now() - t0, value];
}

async function main(): Promise<void> {
  // --data DIR keeps the generated collection there and reuses it (answers made by a run stay in it).
  const dir = values.data ?? mkdtempSync(join(tmpdir(), 'proofdeck-bench-store-'));
  const detail: Record<string, unknown> = {};
  try {
    const now = Date.now();
    const t0 = performance.now();
    if (!existsSync(join(dir, 'proofdeck.sqlite'))) {
      mkdirSync(dir, { recursive: true });
      generate(join(dir, 'proofdeck.sqlite'), now);
    }
    detail.generateMs = Math.round(performance.now() - t0);

    const file = join(dir, 'proofdeck.sqlite');
    const starts: number[] = [];
    const unsealedStarts: number[] = [];
    let services: Services | undefined;
    // What a start after a crash, an outside write or a week adds: the full page check.
    const fullChecks: number[] = [];
    for (let i = 0; i < 3; i++) {
      const probe = new Database(file, { readonly: true });
      fullChecks.push((await timed(async () => probe.pragma('quick_check')))[0]);
      probe.close();
    }
    const open = async (sealed: boolean): Promise<number> => {
      services?.close();
      if (!sealed) rmSync(`${file}${sealSuffix}`, { force: true });
      const [ms, opened] = await timed(async () => {
        const s = createServices({ dataDir: dir });
        await s.dispatch('review.next', {}, noCall);
        return s;
      });
      services = opened;
      return ms;
    };
    await open(false); // warms the OS page cache, and leaves a sealed file behind
    for (let i = 0; i < Math.min(repeats, 7); i++) starts.push(await open(true));
    for (let i = 0; i < 3; i++) unsealedStarts.push(await open(false));
    services!.close();
    // What every start after a clean close pays for the check: the header and the seal.
    const sealChecks: number[] = [];
    for (let i = 0; i < repeats; i++) sealChecks.push((await timed(async () => headerIsSound(file) && sealVouches(file) !== null))[0]);
    await open(true);
    const s = services!;

    // The Today screen after answering: every answer is a write, so nothing cached survives it.
    const queue: number[] = [];
    const queueCached: number[] = [];
    const next: number[] = [];
    const answer = async (count: number, measureQueue: boolean) => {
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        const [nextMs, envelope] = await timed(() => s.dispatch('review.next', {}, noCall));
        if (!envelope.ok || !envelope.value) throw new Error('the queue ran dry');
        next.push(nextMs);
        const cardId = (envelope.value as { cardId: number }).cardId;
        const [ms, result] = await timed(() => s.dispatch('review.answer', { cardId, rating: 1 + (i % 4), durationMs: 4000 }, noCall));
        if (!result.ok) throw new Error(result.error.message);
        samples.push(ms);
        if (measureQueue) {
          queue.push((await timed(() => s.dispatch('review.today', {}, noCall)))[0]);
          queueCached.push((await timed(() => s.dispatch('review.today', {}, noCall)))[0]);
        }
      }
      return samples;
    };
    const answers = await answer(repeats * 5, true);
    s.db!.pragma('synchronous = FULL');
    detail.answerMsSynchronousFull = median(await answer(repeats, false));
    s.db!.pragma('synchronous = NORMAL');
    detail.nextMs = median(next);
    detail.queueMsRepeated = median(queueCached);
    detail.startMsRuns = starts.map((x) => Math.round(x));
    s.close();

    const result = {
      cards: cardCount,
      revlog: revlogCount,
      queueMs: median(queue),
      answerMs: median(answers),
      startMs: median(starts),
      sealCheckMs: median(sealChecks),
      fullCheckMs: median(fullChecks),
      startUnsealedMs: median(unsealedStarts),
    };
    if (values.json) {
      console.log(JSON.stringify(result));
      console.error(JSON.stringify(detail));
    } else {
      console.log(`collection: ${cardCount} cards, ${revlogCount} review-log rows (generated in ${detail.generateMs} ms)`);
      console.log(`today's queue (review.today after an answer) ${result.queueMs.toFixed(2)} ms (target < 20 ms); repeated ${(detail.queueMsRepeated as number).toFixed(2)} ms; review.next ${(detail.nextMs as number).toFixed(2)} ms`);
      console.log(`answer recorded ${result.answerMs.toFixed(2)} ms (target < 2 ms); with synchronous=FULL ${(detail.answerMsSynchronousFull as number).toFixed(2)} ms`);
      console.log(`open + services + first card ${result.startMs.toFixed(0)} ms after a clean close (runs: ${(detail.startMsRuns as number[]).join(', ')}); ${result.startUnsealedMs.toFixed(0)} ms when the file is not sealed`);
      console.log(`integrity check at open: the seal of the last clean close ${result.sealCheckMs.toFixed(3)} ms; quick_check of every page (after a crash, an outside write, or weekly) ${result.fullCheckMs.toFixed(0)} ms`);
    }
  } finally {
    if (!values.data) rmSync(dir, { recursive: true, force: true });
  }
}

void main();

// ProofDeck → .apkg → Anki (its import and export, as its code does them: through-anki.ts) →
// .apkg → ProofDeck: every rating, due date, card kind, flag, mark and ProofDeck field comes back. The Anki
// collection in between is another one (created years earlier), so every day number is moved
// on the way, as Anki moves it.
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDeck, importDeckFile } from '../../../electron/services/decks/exchange';
import { applyImport } from '../../../electron/services/decks/merge';
import type { ExchangeCard, ExchangeNote, ExchangeReview } from '../../../electron/services/decks/types';
import { studyDay } from '../../../electron/services/scheduler/study-day';
import { minutesWestIn } from '../../../electron/services/decks/anki/time-zone';
import { freshDatabase } from '../decks/support';
import { throughAnki, type AnkiCollection } from './through-anki';

const DAY = 86_400_000;
const zone = 'Asia/Seoul';
const now = Date.UTC(2026, 2, 10, 6, 30);
/** The Anki collection the package goes through: created on 17 May 2023 at 4:00 in Seoul. */
const anki: AnkiCollection = { crt: (Date.UTC(2023, 4, 17, 4) - 9 * 3_600_000) / 1000, creationMinutesWest: -540, rolloverHour: 4, westAt: minutesWestIn(zone) };

const card = (ord: number, state: number, due: number, extra: Partial<ExchangeCard> = {}): ExchangeCard => ({
  ord, due, stability: state ? 12.5 : 0, difficulty: state ? 4.2 : 0, elapsedDays: 0, scheduledDays: state === 2 ? 12 : 0, learningSteps: 0,
  reps: state ? 6 : 0, lapses: state ? 1 : 0, state, lastReview: state ? now - DAY : null, suspended: false, ...extra,
});
let clock = now - 30 * DAY;
const review = (ord: number, rating: number, state: number, scheduledDays = 0): ExchangeReview => {
  clock += DAY / 3;
  return { ord, id: clock, rating, state, due: clock + (scheduledDays ? scheduledDays * DAY : 600_000), stability: 0, difficulty: 0, elapsedDays: 0, lastElapsedDays: 0, scheduledDays, learningSteps: 0, durationMs: 4000 + rating };
};
const note = (guid: string, front: string, extra: Partial<ExchangeNote>): ExchangeNote => ({
  guid, front, back: '', context: '', language: 'ko', translations: null, tags: ['serving'], experimentId: null, experimentParams: null, fields: null, ...extra,
});

const notes: ExchangeNote[] = [
  note('llm-serving:kv-bytes', 'KV 캐시는 토큰마다 **몇 바이트**인가?', {
    back: '$2 \\cdot n_{layers} \\cdot d_{model}$ 값, 곧 **레이어마다 두 벡터**다.',
    context: '# KV cache\n\nDecoding reads it every step.',
    translations: { en: { front: 'How many bytes per token does the KV cache take?', back: '$2 \\cdot n_{layers} \\cdot d_{model}$ values.', context: '' } },
    experimentId: 'kv-cache-memory',
    experimentParams: { tokens: 512 },
    cards: [card(0, 2, now + 12 * DAY + 3 * 3_600_000, { flag: 2 })],
    // Every rating, in every state: Hard and Good while learning are what v1's upgrade would change.
    reviews: [review(0, 2, 0), review(0, 3, 1), review(0, 4, 1, 3), review(0, 1, 2), review(0, 2, 3), review(0, 3, 3), review(0, 4, 2, 12)],
  }),
  note('llm-serving:gqa', 'GQA', {
    back: 'Grouped-query attention: **쿼리 헤드 묶음**이 KV 헤드 하나를 나눠 쓴다.',
    kind: 'reversed',
    cards: [card(0, 2, now + 3 * DAY), card(1, 1, now + 10 * 60_000, { flag: 6 })],
    reviews: [review(0, 3, 0), review(0, 3, 1, 3), review(1, 2, 0)],
  }),
  note('llm-serving:softmax', 'Softmax: {{c1::$\\frac{1}{x^{2}}$}}, {{c2::KV}}, {{c3::**캐시**}}에 저장', {
    kind: 'cloze',
    back: 'Back extra',
    tags: ['serving', 'marked'],
    cards: [
      card(0, 2, now - 5 * DAY, { suspended: true }),
      card(1, 3, now + 2 * DAY + 3_600_000, { suspended: true }),
      card(2, 1, now + 20 * 60_000, { buried: true }),
    ],
    reviews: [review(0, 3, 0), review(0, 4, 1, 4), review(1, 3, 0), review(1, 4, 1, 2), review(1, 1, 2), review(2, 2, 0)],
  }),
  note('llm-serving:new', '**전역 메모리(HBM)**에서 읽는다', { back: '새 카드' }),
];

function source(): Database.Database {
  const db = freshDatabase();
  applyImport(db, { format: 'proofdeck', deckName: 'LLM serving', description: 'round trip', notes, media: [], warnings: [], hasSchedule: true }, { default: 'keep-mine' }, now);
  return db;
}

const fieldsOf = (db: Database.Database) =>
  db.prepare('SELECT guid, front, back, context, language, translations, tags, experiment_id, experiment_params, kind FROM notes ORDER BY guid').all();

/** Each card's schedule; its due as Anki keeps it: the study day of a review card, the second of a learning one. */
function cardsOf(db: Database.Database) {
  const rows = db
    .prepare('SELECT n.guid, c.ord, c.state, c.due, c.suspended, c.flags, c.stability, c.difficulty, c.reps, c.lapses, c.scheduled_days FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid, c.ord')
    .all() as { guid: string; ord: number; state: number; due: number; suspended: number }[];
  return rows.map(({ due, ...row }) => ({ ...row, due: row.state === 0 ? null : row.state === 2 ? studyDay(due, 4, zone).start : Math.floor(due / 1000) }));
}

const reviewsOf = (db: Database.Database) =>
  db.prepare('SELECT n.guid, c.ord, r.id, r.rating, r.state, r.duration_ms FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id ORDER BY r.id').all();

const exported = (db: Database.Database) => exportDeck(db, 'LLM serving', 'apkg', { includeSchedule: true, now, rolloverHour: 4, timeZone: zone }).bytes;

describe('ProofDeck → .apkg → Anki → .apkg → ProofDeck', () => {
  it('keeps every rating, due date, card kind, flag, mark and ProofDeck field', () => {
    const from = source();
    const back = throughAnki(exported(from), anki, now);
    const to = freshDatabase();
    const { result } = importDeckFile(to, back, { fileName: 'from-anki.apkg', now, timeZone: zone });
    expect(result).toMatchObject({ added: 4, reviews: 16 });
    expect(fieldsOf(to)).toEqual(fieldsOf(from));
    expect(cardsOf(to)).toEqual(cardsOf(from));
    expect(reviewsOf(to)).toEqual(reviewsOf(from));
    // And again: nothing drifts on a second trip.
    const twice = freshDatabase();
    importDeckFile(twice, throughAnki(exported(to), anki, now + DAY), { fileName: 'again.apkg', now: now + DAY, timeZone: zone });
    expect(fieldsOf(twice)).toEqual(fieldsOf(from));
    expect(cardsOf(twice)).toEqual(cardsOf(from));
    expect(reviewsOf(twice)).toEqual(reviewsOf(from));
  });

  it('is what the v2 config buys: the same trip without schedVer changes ratings, as it did before', () => {
    const files: Record<string, Uint8Array> = unzipSync(exported(source()));
    const db = new Database(Buffer.from(files['collection.anki2']));
    const conf = JSON.parse(db.prepare('SELECT conf FROM col').pluck().get() as string) as Record<string, unknown>;
    delete conf.schedVer;
    db.prepare('UPDATE col SET conf = ?').run(JSON.stringify(conf));
    files['collection.anki2'] = new Uint8Array(db.serialize());
    db.close();
    const to = freshDatabase();
    importDeckFile(to, throughAnki(zipSync(files), anki, now), { fileName: 'v1.apkg', now, timeZone: zone });
    const ratings = (d: Database.Database) => (reviewsOf(d) as { rating: number }[]).map((r) => r.rating);
    expect(ratings(to)).not.toEqual(ratings(source()));
  });
});

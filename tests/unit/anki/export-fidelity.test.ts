// An .apkg export read as Anki reads it: the collection config decides the scheduler version
// (and so whether Anki's import rewrites the review log), crt and the timing keys decide the day
// numbers, each card's queue and due mean what Anki's code says, cloze fields parse with Anki's
// parser, and Markdown is the one the app renders (Korean bold included).
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDeck } from '../../../electron/services/decks/exchange';
import { applyImport } from '../../../electron/services/decks/merge';
import type { ExchangeCard, ExchangeNote, ExchangeReview } from '../../../electron/services/decks/types';
import { studyDay } from '../../../electron/services/scheduler/study-day';
import { ankiTimingOf, ratingFromAnkiReview, schedulerVersionOf } from '../../../src/shared/anki/collection-config';
import { ankiDayClock } from '../../../src/shared/anki/day-clock';
import { ankiClozeNumbers, clozeFilter } from '../../../src/shared/anki/cloze-parser';
import { stripHtml } from '../../../src/shared/anki/html-text';
import { ANKI_CLOZE_BREAK } from '../../../src/shared/anki/cloze-writer';
import { freshDatabase } from '../decks/support';

const DAY = 86_400_000;
const zone = 'Asia/Seoul';
/** 15:00 in Seoul on 10 March 2026. */
const now = Date.UTC(2026, 2, 10, 6);

const card = (ord: number, state: number, due: number, extra: Partial<ExchangeCard> = {}): ExchangeCard => ({
  ord, due, stability: state ? 5 : 0, difficulty: state ? 5 : 0, elapsedDays: 0, scheduledDays: state === 2 ? 7 : 0, learningSteps: 0,
  reps: state ? 3 : 0, lapses: 0, state, lastReview: state ? now - DAY : null, suspended: false, ...extra,
});
const review = (ord: number, id: number, rating: number, state: number): ExchangeReview => ({
  ord, id, rating, state, due: id + 600_000, stability: 1, difficulty: 5, elapsedDays: 0, lastElapsedDays: 0, scheduledDays: 0, learningSteps: 0, durationMs: 3000,
});
const note = (guid: string, front: string, extra: Partial<ExchangeNote> = {}): ExchangeNote => ({
  guid, front, back: 'answer', context: '', language: 'ko', translations: null, tags: [], experimentId: null, experimentParams: null, fields: null, ...extra,
});

const notes: ExchangeNote[] = [
  note('review-card', '리뷰 카드', { cards: [card(0, 2, now + 12 * DAY + 3_600_000)], reviews: [review(0, now - 3 * DAY, 2, 0), review(0, now - DAY, 3, 1)] }),
  note('learning-suspended', '학습 중, 보류', { cards: [card(0, 1, now + 600_000, { suspended: true })], reviews: [review(0, now - 600_000, 2, 0)] }),
  note('relearning-buried', '재학습, 묻힘', { cards: [card(0, 3, now - 2 * DAY + 17_000, { lapses: 1 })], reviews: [review(0, now - 2 * DAY, 1, 2), review(0, now - 2 * DAY + 5000, 2, 3)] }),
  note('review-suspended', '리뷰, 보류', { cards: [card(0, 2, now - 40 * DAY, { suspended: true })] }),
  note('new-suspended', '새 카드, 보류', { cards: [card(0, 0, now, { suspended: true })] }),
  note('korean-bold', '데이터는 **GPU 전역 메모리(HBM)**에 있고 *연산*은 SM에서 한다.'),
  note('cloze-math', '{{c1::$\\frac{1}{x^{2}}$}} and {{c2::$e^{i\\pi}$::Euler}}', { kind: 'cloze', back: 'Written as `{{c3::not a card}}` here.' }),
];

function exported(): { db: Database.Database; conf: Record<string, unknown>; crt: number } {
  const source = freshDatabase();
  applyImport(source, { format: 'proofdeck', deckName: 'Fidelity', description: '', notes, media: [], warnings: [], hasSchedule: true }, { default: 'keep-mine' }, now);
  // One card buried until tomorrow, as the b key leaves it.
  source.prepare("UPDATE cards SET buried_until = ? WHERE note_id = (SELECT id FROM notes WHERE guid = 'relearning-buried')").run(studyDay(now, 4, zone).end);
  const file = exportDeck(source, 'Fidelity', 'apkg', { includeSchedule: true, now, rolloverHour: 4, timeZone: zone });
  const db = new Database(Buffer.from(unzipSync(file.bytes)['collection.anki2']), { readonly: true });
  const col = db.prepare('SELECT crt, conf FROM col').get() as { crt: number; conf: string };
  return { db, conf: JSON.parse(col.conf) as Record<string, unknown>, crt: col.crt };
}

const cardOf = (db: Database.Database, guid: string) =>
  db.prepare('SELECT c.type, c.queue, c.due, c.ord FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ? ORDER BY c.ord').all(guid) as { type: number; queue: number; due: number; ord: number }[];
const fieldsOf = (db: Database.Database, guid: string) => (db.prepare('SELECT flds FROM notes WHERE guid = ?').pluck().get(guid) as string).split('\x1f');

describe('the scheduler Anki reads an export with', () => {
  it('is v2 with the v3 keys, so Anki’s import keeps every rating as written', () => {
    const { db, conf } = exported();
    expect(conf).toMatchObject({ schedVer: 2, sched2021: true, rollover: 4, creationOffset: -540 });
    const rows = db.prepare('SELECT ease, type FROM revlog ORDER BY id').all() as { ease: number; type: number }[];
    // Learning and relearning answers rated Hard: the ones v1's upgrade turned into Good.
    expect(rows).toEqual([{ ease: 2, type: 0 }, { ease: 1, type: 1 }, { ease: 2, type: 2 }, { ease: 3, type: 0 }, { ease: 2, type: 0 }]);
    const version = schedulerVersionOf(conf);
    expect(rows.map((r) => ratingFromAnkiReview(r.ease, r.type, version))).toEqual([2, 1, 2, 3, 2]);
    // What the same rows became before: no schedVer, v1, Hard → Good and Good → Easy.
    expect(rows.map((r) => ratingFromAnkiReview(r.ease, r.type, schedulerVersionOf({})))).toEqual([3, 1, 3, 4, 3]);
  });

  it('counts day numbers from a crt at the start of a study day, on the user’s days', () => {
    const { db, conf, crt } = exported();
    const earliest = now - 40 * DAY;
    expect(crt * 1000).toBe(studyDay(earliest, 4, zone).start);
    const clock = ankiDayClock(ankiTimingOf(crt, conf));
    const [reviewCard] = cardOf(db, 'review-card');
    expect(reviewCard).toMatchObject({ type: 2, queue: 2 });
    // Anki's day is the ProofDeck study day of the due date.
    expect(clock.dayStart(reviewCard.due)).toBe(studyDay(now + 12 * DAY + 3_600_000, 4, zone).start);
    const [suspendedReview] = cardOf(db, 'review-suspended');
    expect(suspendedReview).toMatchObject({ type: 2, queue: -1, due: 0 });
  });

  it('keeps a learning card’s timestamp in every queue: suspended, buried', () => {
    const { db } = exported();
    expect(cardOf(db, 'learning-suspended')).toEqual([{ type: 1, queue: -1, due: Math.floor((now + 600_000) / 1000), ord: 0 }]);
    const [buried] = cardOf(db, 'relearning-buried');
    expect(buried).toMatchObject({ type: 3, queue: -3, due: Math.floor((now - 2 * DAY + 17_000) / 1000) });
    // Anki puts it back in the learning queue with that time (timing.rs is_unix_epoch_timestamp).
    expect(buried.due).toBeGreaterThan(1_000_000_000);
    expect(cardOf(db, 'new-suspended')).toMatchObject([{ type: 0, queue: -1 }]);
  });
});

describe('the fields an export writes', () => {
  it('make Korean bold before a particle bold in Anki, as it is in review', () => {
    const { db } = exported();
    const [front] = fieldsOf(db, 'korean-bold');
    expect(front).toContain('<b>GPU 전역 메모리(HBM)</b>에');
    expect(front).toContain('<i>연산</i>은');
    expect(front).not.toContain('**');
  });

  it('write cloze deletions Anki’s parser reads as ProofDeck means them', () => {
    const { db } = exported();
    const [text, back] = fieldsOf(db, 'cloze-math');
    // Anki makes c1 and c2 from every field, and no c3 from the code in Back Extra.
    const numbers = new Set([...ankiClozeNumbers(text), ...ankiClozeNumbers(back)]);
    expect([...numbers].sort()).toEqual([1, 2]);
    expect(cardOf(db, 'cloze-math').map((c) => c.ord)).toEqual([0, 1]);
    const shown = (n: number, question: boolean) => stripHtml(clozeFilter(text, n, question).split(ANKI_CLOZE_BREAK).join(''));
    expect(shown(1, false)).toBe('\\(\\frac{1}{x^{2}}\\) and \\(e^{i\\pi}\\)');
    expect(shown(1, true)).toBe('[...] and \\(e^{i\\pi}\\)');
    expect(shown(2, true)).toBe('\\(\\frac{1}{x^{2}}\\) and [Euler]');
  });
});

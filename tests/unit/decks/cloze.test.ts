// @vitest-environment jsdom
// Cloze and reversed notes through the real store, the real services and the app's card renderer.
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { exportDeck, importDeckFile } from '../../../electron/services/decks/exchange';
import { fieldChecksum } from '../../../electron/services/decks/anki/write';
import { temporaryDir } from '../../../electron/testing/fixtures';
import { openTestServices, type TestServices } from '../../../electron/testing/services';
import type { ReviewCard } from '../../../src/shared/contract';
import { c1Due, c2DueSeconds, clozeAnkiPackage, clozeText } from './cloze-anki';
import { openDatabase } from '../../../electron/services/store/database';
import { localTimeZone, studyDay } from '../../../electron/services/scheduler/study-day';
import { join } from 'node:path';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 28, 3);
let open: { t: TestServices; remove(): void }[] = [];
afterEach(() => {
  for (const { t, remove } of open) {
    t.services.close();
    remove();
  }
  open = [];
});

function services(): TestServices {
  const dir = temporaryDir();
  const t = openTestServices(dir.dir, now, { newPerDay: 50 });
  open.push({ t, remove: dir.remove });
  return t;
}

/** A fresh, migrated database file (support.ts's helper needs file: URLs, which jsdom's environment lacks). */
function freshDatabase(): Database.Database {
  const dir = temporaryDir('pd-cloze-');
  const db = openDatabase(join(dir.dir, 'proofdeck.sqlite'));
  cleanups.push(() => {
    db.close();
    dir.remove();
  });
  return db;
}
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

// The card renderer is UI code (tsconfig.web.json): loaded by path, with the DOM typed as far as used here.
interface DomElement {
  innerHTML: string;
  textContent: string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
}
type RenderMarkdown = (source: string, options?: { cloze?: { number: number; reveal: boolean } }) => string;
const rendererPath = '../../../src/render/markdown';
const { renderMarkdown } = (await import(/* @vite-ignore */ rendererPath)) as { renderMarkdown: RenderMarkdown };

function parse(html: string): DomElement {
  const root = (globalThis as unknown as { document: { createElement(tag: string): DomElement } }).document.createElement('div');
  root.innerHTML = html;
  return root;
}

type CardSchedule = { guid: string; ord: number; state: number; due: number; stability: number; difficulty: number; reps: number; lapses: number; scheduled_days: number };
const cardsOf = (db: Database.Database): CardSchedule[] =>
  db
    .prepare('SELECT n.guid, c.ord, c.state, c.due, c.stability, c.difficulty, c.reps, c.lapses, c.scheduled_days FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid, c.ord')
    .all() as CardSchedule[];
const kindsOf = (db: Database.Database) => db.prepare('SELECT guid, kind FROM notes ORDER BY guid').all();
const reviewsByOrd = (db: Database.Database) =>
  db.prepare('SELECT n.guid, c.ord, r.id, r.rating FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id ORDER BY r.id').all();

/** Answers "good" to every card of today's queue, returning what each card showed. */
async function study(t: TestServices): Promise<ReviewCard[]> {
  const shown: ReviewCard[] = [];
  for (let card = await t.client.api['review.next']({}); card; card = await t.client.api['review.next']({})) {
    shown.push(card);
    await t.client.api['review.answer']({ cardId: card.cardId, rating: 3, durationMs: 1000 });
  }
  return shown;
}

describe('Anki cloze and reversed notes', () => {
  it('imports a cloze note with c1, c2 as two cards with their Anki schedules, and reviews each as its own blank', async () => {
    const t = services();
    const db = t.services.db!;
    const { parsed, result } = importDeckFile(db, clozeAnkiPackage(), { fileName: 'geo.apkg', now });
    expect(result.added).toBe(3);
    expect(parsed.warnings.map((w) => w.code)).not.toContain('cloze-kept');
    expect(kindsOf(db)).toEqual([
      { guid: 'cloze-guid-1', kind: 'cloze' },
      { guid: 'optional-guid-3', kind: 'basic' },
      { guid: 'reversed-guid-2', kind: 'reversed' },
    ]);
    const cards = cardsOf(db);
    expect(cards.filter((c) => c.guid === 'cloze-guid-1')).toEqual([
      { guid: 'cloze-guid-1', ord: 0, state: 2, due: c1Due, stability: 20, difficulty: 6, reps: 5, lapses: 1, scheduled_days: 20 },
      { guid: 'cloze-guid-1', ord: 1, state: 1, due: c2DueSeconds * 1000, stability: 0.1, difficulty: 5, reps: 1, lapses: 0, scheduled_days: 0 },
    ]);
    expect(cards.filter((c) => c.guid === 'reversed-guid-2').map((c) => [c.ord, c.state])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    expect(cards.filter((c) => c.guid === 'optional-guid-3').map((c) => c.ord)).toEqual([0]);
    // Review history stays with the card of its cloze number.
    expect(reviewsByOrd(db).map((r) => [(r as { ord: number }).ord, (r as { guid: string }).guid])).toEqual([
      [0, 'cloze-guid-1'],
      [0, 'cloze-guid-1'],
      [1, 'cloze-guid-1'],
    ]);

    // Both clozes in one sitting: with siblings buried (the default) c2 would wait for tomorrow.
    await t.client.api['settings.set']({ burySiblings: false });
    const shown = await study(t);
    const c1 = shown.find((c) => c.kind === 'cloze' && c.ord === 0)!;
    const c2 = shown.find((c) => c.kind === 'cloze' && c.ord === 1)!;
    expect([c1.cloze, c2.cloze]).toEqual([1, 2]);
    expect(c1.back).toContain('Paris');
    // c1's question: both c1 deletions are blanks, c2's text shows; its answer highlights both c1 deletions, math rendered.
    const question1 = parse(renderMarkdown(c1.front, { cloze: { number: 1, reveal: false } }));
    expect([...question1.querySelectorAll('.cloze-blank')].map((e) => e.textContent)).toEqual(['[…]', '[…]']);
    expect(question1.textContent).toContain('France');
    expect(question1.textContent).not.toContain('Paris');
    const answer1 = parse(renderMarkdown(c1.front, { cloze: { number: 1, reveal: true } }));
    const marks = [...answer1.querySelectorAll('mark.cloze')];
    expect(marks).toHaveLength(2);
    expect(marks[0].textContent).toBe('Paris');
    expect(marks[1].querySelector('.katex annotation')?.textContent).toBe('105\\,\\mathrm{km}^2');
    expect(answer1.querySelector('.cloze-blank')).toBeNull();
    // c2's question: its hint in the blank, c1's text shown.
    const question2 = parse(renderMarkdown(c2.front, { cloze: { number: 2, reveal: false } }));
    expect(question2.querySelector('.cloze-blank')?.textContent).toBe('[a country]');
    expect(question2.textContent).toContain('Paris');
    expect(question2.textContent).not.toContain('France');
    expect(question2.querySelector('.katex')).not.toBeNull();

    // The reversed note's ord-1 card asks the back and answers the front.
    const forward = shown.find((c) => c.kind === 'reversed' && c.ord === 0)!;
    const backward = shown.find((c) => c.kind === 'reversed' && c.ord === 1)!;
    expect([forward.front, forward.back]).toEqual(['der Hund', 'the dog']);
    expect([backward.front, backward.back]).toEqual(['the dog', 'der Hund']);
    expect([...new Set(shown.filter((c) => c.noteId === forward.noteId).map((c) => c.ord))].sort()).toEqual([0, 1]);
  });

  it('browses one row per card, naming the cloze each asks', async () => {
    const t = services();
    importDeckFile(t.services.db!, clozeAnkiPackage(), { fileName: 'geo.apkg', now });
    const rows = (await t.client.api['cards.search']({ query: 'deck:Geography', sort: 'front' })).rows;
    expect(rows.map((r) => r.card ?? null).sort()).toEqual(['1', '2', 'c1', 'c2', null].sort());
  });

  it('editing a cloze note to drop c2 removes that card and keeps c1 with its schedule; a new c3 adds a card', async () => {
    const t = services();
    const db = t.services.db!;
    importDeckFile(db, clozeAnkiPackage(), { fileName: 'geo.apkg', now });
    const noteId = db.prepare("SELECT id FROM notes WHERE guid = 'cloze-guid-1'").pluck().get() as number;
    const before = cardsOf(db).filter((c) => c.guid === 'cloze-guid-1');
    const note = await t.client.api['notes.get']({ noteId });
    expect(note.kind).toBe('cloze');
    expect(note.cards.map((c) => c.ord)).toEqual([0, 1]);
    const edited = await t.client.api['notes.save']({ noteId, deckId: note.deckId, front: '{{c1::Paris}} is a capital.', back: note.back, context: '', tags: note.tags });
    expect(edited.removed).toEqual([1]);
    expect(edited.added).toEqual([]);
    expect(cardsOf(db).filter((c) => c.guid === 'cloze-guid-1')).toEqual([before[0]]);
    expect(reviewsByOrd(db).filter((r) => (r as { guid: string }).guid === 'cloze-guid-1')).toHaveLength(2);
    const grown = await t.client.api['notes.save']({ noteId, deckId: note.deckId, front: '{{c1::Paris}} is a {{c3::capital}}.', back: '', tags: [] });
    expect(grown).toMatchObject({ added: [2], removed: [] });
    expect(cardsOf(db).filter((c) => c.guid === 'cloze-guid-1').map((c) => [c.ord, c.state])).toEqual([
      [0, 2],
      [2, 0],
    ]);
    // The .apkg carries the edit: the text as now written, a card row for c1 and c3.
    const anki = new Database(Buffer.from(unzipSync(exportDeck(db, 'Geography', 'apkg', { now }).bytes)['collection.anki2']), { readonly: true });
    const row = anki.prepare("SELECT id, flds FROM notes WHERE guid = 'cloze-guid-1'").get() as { id: number; flds: string };
    expect(row.flds.split('\x1f')[0]).toContain('{{c3::capital}}');
    expect(anki.prepare('SELECT ord FROM cards WHERE nid = ? ORDER BY ord').pluck().all(row.id)).toEqual([0, 2]);
    anki.close();
    // A cloze note needs a deletion; a new reversed note gets both cards.
    await expect(t.client.api['notes.save']({ noteId, deckId: note.deckId, front: 'no deletions', back: '' })).rejects.toMatchObject({ code: 'invalid-args' });
    const reversed = await t.client.api['notes.save']({ deckId: note.deckId, front: 'la mer', back: 'the sea', kind: 'reversed' });
    expect(reversed.cardIds).toHaveLength(2);
  });
});

describe('round trips keep kind, cards and per-ord schedules', () => {
  /** A ProofDeck collection with a cloze note (c1 reviewed, c2 new) and a reversed note (ord 1 reviewed). */
  function source(): Database.Database {
    const db = freshDatabase();
    importDeckFile(db, clozeAnkiPackage(), { fileName: 'geo.apkg', now });
    // The reversed note's second card gets a schedule of its own, so per-ord schedules differ.
    db.prepare(
      "UPDATE cards SET state = 2, due = ?, stability = 7.5, difficulty = 3.5, reps = 2, scheduled_days = 7, last_review = ? WHERE ord = 1 AND note_id = (SELECT id FROM notes WHERE guid = 'reversed-guid-2')",
    ).run(now + 7 * DAY, now);
    return db;
  }

  it('ProofDeck → .proofdeck → ProofDeck (format 2 when a note is not basic)', () => {
    const from = source();
    const file = exportDeck(from, 'Geography', 'proofdeck', { includeSchedule: true, now });
    const manifest = JSON.parse(new TextDecoder().decode(unzipSync(file.bytes)['manifest.json'])) as { version: number };
    expect(manifest.version).toBe(2);
    const to = freshDatabase();
    importDeckFile(to, file.bytes, { fileName: file.fileName, now });
    expect(kindsOf(to)).toEqual(kindsOf(from));
    expect(cardsOf(to)).toEqual(cardsOf(from));
    expect(reviewsByOrd(to)).toEqual(reviewsByOrd(from));
    // Without the schedule, the cards are still there, new.
    const bare = freshDatabase();
    importDeckFile(bare, exportDeck(from, 'Geography', 'proofdeck', { now }).bytes, { fileName: 'g.proofdeck', now });
    expect(cardsOf(bare).map((c) => [c.guid, c.ord, c.state])).toEqual(cardsOf(from).map((c) => [c.guid, c.ord, 0]));
  });

  it('ProofDeck → .apkg (read back with SQLite alone) → ProofDeck', () => {
    const from = source();
    const file = exportDeck(from, 'Geography', 'apkg', { includeSchedule: true, now });
    const files = unzipSync(file.bytes);
    const anki = new Database(Buffer.from(files['collection.anki2']), { readonly: true });
    const models = JSON.parse(anki.prepare('SELECT models FROM col').pluck().get() as string) as Record<
      string,
      { type: number; name: string; flds: { name: string }[]; tmpls: { qfmt: string; afmt: string }[] }
    >;
    const notes = anki.prepare('SELECT id, guid, mid, flds, sfld, csum FROM notes ORDER BY guid').all() as { id: number; guid: string; mid: number; flds: string; sfld: string; csum: number }[];
    const modelOf = (guid: string) => models[String(notes.find((n) => n.guid === guid)!.mid)];
    const cloze = modelOf('cloze-guid-1');
    expect(cloze.type).toBe(1);
    expect(cloze.tmpls).toHaveLength(1);
    expect(cloze.tmpls[0].qfmt).toBe('{{cloze:Text}}');
    expect(cloze.flds.map((f) => f.name).slice(0, 2)).toEqual(['Text', 'Back Extra']);
    const reversed = modelOf('reversed-guid-2');
    expect(reversed.type).toBe(0);
    expect(reversed.tmpls.map((t) => t.qfmt)).toEqual(['{{Front}}', '{{Back}}']);
    // Anki's optional-reversed note type (three fields) goes back as it came: both templates, no field added.
    expect(modelOf('optional-guid-3').tmpls.map((t) => t.qfmt)).toEqual(['{{Front}}', '{{#Add Reverse}}{{Back}}{{/Add Reverse}}']);
    expect(modelOf('optional-guid-3').flds.map((f) => f.name)).toEqual(['Front', 'Back', 'Add Reverse']);
    for (const note of notes) {
      const fields = note.flds.split('\x1f');
      expect(fields).toHaveLength(models[String(note.mid)].flds.length);
      expect(note.csum).toBe(fieldChecksum(fields[0]));
    }
    const clozeFields = notes.find((n) => n.guid === 'cloze-guid-1')!.flds.split('\x1f');
    expect(clozeFields[0]).toContain('{{c1::Paris}}');
    expect(clozeFields[0]).toContain('{{c2::France::a country}}');
    expect(clozeFields[0]).toContain('{{c1::\\(105\\,\\mathrm{km}^2\\)}}');
    const cardRows = anki.prepare('SELECT n.guid, c.ord, c.type, c.queue, c.ivl, c.reps FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.guid, c.ord').all();
    expect(cardRows).toEqual([
      { guid: 'cloze-guid-1', ord: 0, type: 2, queue: 2, ivl: 20, reps: 5 },
      { guid: 'cloze-guid-1', ord: 1, type: 1, queue: 1, ivl: 0, reps: 1 },
      { guid: 'optional-guid-3', ord: 0, type: 0, queue: 0, ivl: 0, reps: 0 },
      { guid: 'reversed-guid-2', ord: 0, type: 2, queue: 2, ivl: 30, reps: 4 },
      { guid: 'reversed-guid-2', ord: 1, type: 2, queue: 2, ivl: 7, reps: 2 },
    ]);
    const revlogOrds = anki.prepare('SELECT n.guid, c.ord FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid ORDER BY r.id').all();
    expect(revlogOrds).toEqual([
      { guid: 'cloze-guid-1', ord: 0 },
      { guid: 'cloze-guid-1', ord: 0 },
      { guid: 'cloze-guid-1', ord: 1 },
    ]);
    anki.close();

    const to = freshDatabase();
    importDeckFile(to, file.bytes, { fileName: file.fileName, now });
    expect(kindsOf(to)).toEqual(kindsOf(from));
    const scheduled = (db: Database.Database) => cardsOf(db).map((c) => ({ guid: c.guid, ord: c.ord, state: c.state, reps: c.reps, lapses: c.lapses, interval: c.scheduled_days }));
    expect(scheduled(to)).toEqual(scheduled(from));
    // Review due dates travel as Anki day numbers: the study day survives (days start at 4:00, this machine's zone).
    const reviewDays = (db: Database.Database) => cardsOf(db).filter((c) => c.state === 2).map((c) => studyDay(c.due, 4, localTimeZone()).start);
    expect(reviewDays(to)).toEqual(reviewDays(from));
    expect(reviewsByOrd(to).map((r) => [(r as { guid: string }).guid, (r as { ord: number }).ord])).toEqual(
      reviewsByOrd(from).map((r) => [(r as { guid: string }).guid, (r as { ord: number }).ord]),
    );
  });

  it('re-importing an updated .apkg adds the new cloze card and keeps the others', () => {
    const db = source();
    const before = cardsOf(db).filter((c) => c.guid === 'cloze-guid-1');
    const exported = exportDeck(db, 'Geography', 'proofdeck', { now });
    const files = unzipSync(exported.bytes);
    const notes = JSON.parse(new TextDecoder().decode(files['notes.json'])) as { guid: string; front: string }[];
    notes.find((n) => n.guid === 'cloze-guid-1')!.front = `${clozeText} {{c3::Seine}}`;
    files['notes.json'] = new TextEncoder().encode(JSON.stringify(notes));
    const { result } = importDeckFile(db, zipSync(files), { fileName: 'geo.proofdeck', now });
    expect(result).toMatchObject({ updated: 1, cardsAdded: 1, cardsRemoved: 0 });
    const after = cardsOf(db).filter((c) => c.guid === 'cloze-guid-1');
    expect(after.slice(0, 2)).toEqual(before);
    expect(after.map((c) => [c.ord, c.state])).toEqual([
      [0, 2],
      [1, 1],
      [2, 0],
    ]);
    // The author drops c2 and c3: their cards go (and the result says so), c1 keeps its schedule.
    notes.find((n) => n.guid === 'cloze-guid-1')!.front = '{{c1::Paris}} is the capital.';
    files['notes.json'] = new TextEncoder().encode(JSON.stringify(notes));
    const second = importDeckFile(db, zipSync(files), { fileName: 'geo.proofdeck', now }).result;
    expect(second).toMatchObject({ updated: 1, cardsAdded: 0, cardsRemoved: 2 });
    expect(cardsOf(db).filter((c) => c.guid === 'cloze-guid-1')).toEqual([before[0]]);
  });
});

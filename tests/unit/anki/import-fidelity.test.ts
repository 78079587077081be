// Anki packages read as Anki's own importer reads them: the day clock of the package's config,
// timestamps of suspended and buried learning cards, a v1 review log's ratings as Anki's upgrade
// rewrites them, the newest layout's media list by its real field numbers; and a ProofDeck note
// edited in Anki comes back keeping what only ProofDeck has.
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDeck, importDeckFile, readImportFile } from '../../../electron/services/decks/exchange';
import { applyImport } from '../../../electron/services/decks/merge';
import { studyDay } from '../../../electron/services/scheduler/study-day';
import type { ExchangeNote } from '../../../electron/services/decks/types';
import { concat, latestApkg, protoBytes, protoVarint, zstdFrame } from '../decks/hostile/files';
import { freshDatabase } from '../decks/support';

const DAY = 86_400_000;
const zone = 'Asia/Seoul';
/** A collection created at 4:00 in Seoul on 1 January 2026. */
const crt = (Date.UTC(2026, 0, 1, 4) - 9 * 3_600_000) / 1000;
const now = Date.UTC(2026, 2, 10, 6);

interface CardSpec {
  type: number;
  queue: number;
  due: number;
  ivl?: number;
}

/** A schema-11 collection with one Basic note per card, the config given, and review rows. */
function collection(conf: Record<string, unknown>, cards: CardSpec[], reviews: [cardIndex: number, ease: number, type: number][] = []): Uint8Array {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);
    CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);
    CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer, usn integer, type integer, queue integer, due integer, ivl integer, factor integer, reps integer, lapses integer, left integer, odue integer, odid integer, flags integer, data text);
    CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer, ivl integer, lastIvl integer, factor integer, time integer, type integer);`);
  const models = { '10': { id: 10, name: 'Basic', type: 0, flds: [{ name: 'Front', ord: 0 }, { name: 'Back', ord: 1 }], tmpls: [{ name: 'Card 1', ord: 0, qfmt: '{{Front}}', afmt: '{{FrontSide}}<hr id=answer>{{Back}}' }] } };
  db.prepare("INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, ?, ?, ?, '{}', '{}')").run(crt, JSON.stringify(conf), JSON.stringify(models), JSON.stringify({ '1': { id: 1, name: 'Clock' } }));
  cards.forEach((card, i) => {
    db.prepare("INSERT INTO notes VALUES (?, ?, 10, 0, 0, '', ?, '', 0, 0, '')").run(i + 1, `g${i}`, `front ${i}\x1fback ${i}`);
    db.prepare("INSERT INTO cards VALUES (?, ?, 1, 0, 0, 0, ?, ?, ?, ?, 2500, 3, 0, 0, 0, 0, 0, '')").run(i + 1, i + 1, card.type, card.queue, card.due, card.ivl ?? 0);
  });
  reviews.forEach(([cardIndex, ease, type], i) => db.prepare('INSERT INTO revlog VALUES (?, ?, 0, ?, -600, 0, 0, 4000, ?)').run(now - DAY + i * 1000, cardIndex + 1, ease, type));
  const bytes = new Uint8Array(db.serialize());
  db.close();
  return zipSync({ 'collection.anki2': bytes, media: new TextEncoder().encode('{}') });
}

const read = (file: Uint8Array) => readImportFile(file, { fileName: 'clock.apkg', now, timeZone: zone });

describe('due dates as Anki reads them', () => {
  const twoHoursAgo = Math.floor((now - 2 * 3_600_000) / 1000);
  const v2 = { schedVer: 2, creationOffset: -540, rollover: 4 };
  const cards: CardSpec[] = [
    { type: 2, queue: 2, due: 70, ivl: 10 },
    { type: 1, queue: -1, due: twoHoursAgo },
    { type: 3, queue: -2, due: twoHoursAgo },
    { type: 3, queue: -3, due: 68 },
  ];

  it('counts review days on the package’s clock: day 70 is 12 March 2026, 4:00 in Seoul', () => {
    const [review] = read(collection(v2, cards)).notes.map((n) => n.cards![0]);
    expect(review.due).toBe(Date.UTC(2026, 2, 12, 4) - 9 * 3_600_000);
    expect(review.due).toBe(studyDay(review.due, 4, zone).start);
  });

  it('keeps a suspended or buried learning card’s timestamp (Anki: due > 1,000,000,000), not a day millions of years away', () => {
    const [, suspended, buried, dayLearn] = read(collection(v2, cards)).notes.map((n) => n.cards![0]);
    expect(suspended).toMatchObject({ state: 1, due: twoHoursAgo * 1000, suspended: true });
    expect(buried).toMatchObject({ state: 3, due: twoHoursAgo * 1000, suspended: false });
    expect(dayLearn).toMatchObject({ state: 3, due: Date.UTC(2026, 2, 10, 4) - 9 * 3_600_000 });
  });

  it('reads the config table of a schema-14+ collection, where col.conf is empty', () => {
    const zipped = unzipSync(collection({}, cards));
    const db = new Database(Buffer.from(zipped['collection.anki2']));
    db.exec('CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL, val blob NOT NULL) without rowid');
    for (const [key, value] of Object.entries(v2)) db.prepare('INSERT INTO config VALUES (?, 0, 0, ?)').run(key, Buffer.from(JSON.stringify(value)));
    const bytes = new Uint8Array(db.serialize());
    db.close();
    const [review] = read(zipSync({ 'collection.anki2': bytes, media: new TextEncoder().encode('{}') })).notes.map((n) => n.cards![0]);
    expect(review.due).toBe(Date.UTC(2026, 2, 12, 4) - 9 * 3_600_000);
  });
});

describe('ratings of a v1 (schedVer-less) package', () => {
  it('come in as Anki’s upgrade rewrites them: learning and relearning Hard → Good, Good → Easy', () => {
    const reviews: [number, number, number][] = [[0, 2, 0], [0, 3, 0], [0, 2, 1], [0, 2, 2], [0, 1, 2]];
    const v1 = read(collection({ nextPos: 1 }, [{ type: 2, queue: 2, due: 70, ivl: 10 }], reviews)).notes[0].reviews!.map((r) => r.rating);
    expect(v1).toEqual([3, 4, 2, 3, 1]);
    const v2 = read(collection({ schedVer: 2 }, [{ type: 2, queue: 2, due: 70, ivl: 10 }], reviews)).notes[0].reviews!.map((r) => r.rating);
    expect(v2).toEqual([2, 3, 2, 2, 1]);
  });
});

describe('the newest layout’s media list', () => {
  it('names each zip entry by its index in the list, with name, size and sha1 in fields 1, 2 and 3', () => {
    const bytes = unzipSync(collection({ schedVer: 2 }, [{ type: 0, queue: 0, due: 0 }]))['collection.anki2'];
    const text = (s: string) => new TextEncoder().encode(s);
    const files = [
      { name: 'a.png', data: text('first') },
      { name: 'b.png', data: text('second') },
    ];
    // A real MediaEntry: name (1), size (2), sha1 (3); the first also with a field ProofDeck used to misread as the zip name.
    const entry = (name: string, size: number, extra: number[] = []) => new Uint8Array(protoBytes(1, new Uint8Array([...protoBytes(1, text(name)), ...protoVarint(2, size), ...protoBytes(3, new Uint8Array(20).fill(7)), ...extra])));
    const list = concat([entry('a.png', 5, protoVarint(4, 1)), entry('b.png', 6)]);
    const apkg = latestApkg(zstdFrame(bytes), files.map((f) => ({ name: f.name, frame: zstdFrame(f.data) })));
    const patched: Record<string, Uint8Array> = unzipSync(apkg);
    patched.media = zstdFrame(list);
    const media = readImportFile(zipSync(patched), { fileName: 'm.apkg', now }).media;
    expect(media.map((m) => [m.name, new TextDecoder().decode(m.data)])).toEqual([
      ['a.png', 'first'],
      ['b.png', 'second'],
    ]);
  });
});

describe('a ProofDeck note edited in Anki', () => {
  const note: ExchangeNote = {
    guid: 'llm-serving:kv-bytes',
    front: 'KV 캐시는 토큰마다 **몇 바이트**인가?',
    back: '$2 \\cdot n_{layers} \\cdot d$ 값.',
    context: '# KV cache\n\nDecoding reads it every step.',
    language: 'ko',
    translations: { en: { front: 'How many bytes per token?', back: '$2 \\cdot n_{layers} \\cdot d$ values.', context: '' } },
    tags: ['kv'],
    experimentId: 'kv-cache-memory',
    experimentParams: { tokens: 512 },
    fields: null,
  };

  it('comes back with the edit, keeping its experiment link, translation, language and context', () => {
    const db = freshDatabase();
    applyImport(db, { format: 'md', deckName: 'Serving', description: '', notes: [note], media: [], warnings: [], hasSchedule: false }, { default: 'keep-mine' });
    const files = unzipSync(exportDeck(db, 'Serving', 'apkg', { now }).bytes);
    const anki = new Database(Buffer.from(files['collection.anki2']));
    const fields = (anki.prepare('SELECT flds FROM notes').pluck().get() as string).split('\x1f');
    // One word added to Back in Anki's editor.
    fields[1] = fields[1].replace('값.', '값. 정확히');
    anki.prepare('UPDATE notes SET flds = ?').run(fields.join('\x1f'));
    files['collection.anki2'] = new Uint8Array(anki.serialize());
    anki.close();
    const { result } = importDeckFile(db, zipSync(files), { fileName: 'edited.apkg', now });
    expect(result).toMatchObject({ updated: 1, added: 0 });
    const row = db.prepare('SELECT front, back, context, language, translations, experiment_id, experiment_params, kind FROM notes').get() as Record<string, string>;
    expect(row).toEqual({
      front: note.front,
      back: '$2 \\cdot n_{layers} \\cdot d$ 값. 정확히',
      context: note.context,
      language: 'ko',
      translations: JSON.stringify(note.translations),
      experiment_id: 'kv-cache-memory',
      experiment_params: JSON.stringify({ tokens: 512 }),
      kind: 'basic',
    });
  });
});

describe('flags and marked notes', () => {
  /** The package with its rows changed as `edit` says (Anki's own columns: cards.flags, notes.tags). */
  function edited(file: Uint8Array, edit: (db: Database.Database) => void): Uint8Array {
    const files = unzipSync(file);
    const db = new Database(Buffer.from(files['collection.anki2']));
    edit(db);
    files['collection.anki2'] = new Uint8Array(db.serialize());
    db.close();
    return zipSync(files);
  }

  it('come in as Anki keeps them: the low 3 bits of cards.flags, the tag `marked`', () => {
    const cards: CardSpec[] = [
      { type: 2, queue: 2, due: 70, ivl: 10 },
      { type: 0, queue: 0, due: 1 },
      { type: 2, queue: 2, due: 71, ivl: 12 },
      { type: 2, queue: 2, due: 72, ivl: 12 },
    ];
    const file = edited(collection({ schedVer: 2, creationOffset: -540, rollover: 4 }, cards, [[0, 3, 1], [2, 3, 1]]), (db) => {
      // Red; blue on a new card; purple with a bit above the flag that Anki keeps for itself.
      db.prepare('UPDATE cards SET flags = ? WHERE id = ?').run(1, 1);
      db.prepare('UPDATE cards SET flags = ? WHERE id = ?').run(4, 2);
      db.prepare('UPDATE cards SET flags = ? WHERE id = ?').run(8 | 7, 3);
      db.prepare("UPDATE notes SET tags = ' marked exam ' WHERE id = 1").run();
    });
    const db = freshDatabase();
    importDeckFile(db, file, { fileName: 'flags.apkg', now, timeZone: zone });
    const rows = db.prepare('SELECT n.guid, c.flags, n.tags FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid').all();
    expect(rows).toEqual([
      { guid: 'g0', flags: 1, tags: 'marked exam' },
      { guid: 'g1', flags: 4, tags: '' },
      { guid: 'g2', flags: 7, tags: '' },
      { guid: 'g3', flags: 0, tags: '' },
    ]);
  });

  it('go back out with the schedule; a shared deck (no schedule) carries no one’s flags or marks, as Anki’s export', () => {
    const db = freshDatabase();
    const flagged = (guid: string, flag: number, tags: string[]): ExchangeNote => ({
      guid, front: `${guid}?`, back: 'answer', context: '', language: null, translations: null, tags, experimentId: null, experimentParams: null, fields: null,
      cards: [{ ord: 0, due: now + DAY, stability: 3, difficulty: 5, elapsedDays: 0, scheduledDays: 1, learningSteps: 0, reps: 1, lapses: 0, state: 2, lastReview: now, suspended: false, flag }],
    });
    applyImport(db, { format: 'proofdeck', deckName: 'Flags', description: '', notes: [flagged('red', 1, ['Marked']), flagged('purple', 7, ['exam', 'leech']), flagged('none', 0, [])], media: [], warnings: [], hasSchedule: true }, { default: 'keep-mine' }, now);
    const written = (includeSchedule: boolean) => {
      const bytes = exportDeck(db, 'Flags', 'apkg', { includeSchedule, now, rolloverHour: 4, timeZone: zone }).bytes;
      const anki = new Database(Buffer.from(unzipSync(bytes)['collection.anki2']), { readonly: true });
      try {
        return anki.prepare('SELECT n.guid, c.flags, n.tags FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.guid').all();
      } finally {
        anki.close();
      }
    };
    expect(written(true)).toEqual([
      { guid: 'none', flags: 0, tags: '' },
      { guid: 'purple', flags: 7, tags: ' exam leech ' },
      { guid: 'red', flags: 1, tags: ' Marked ' },
    ]);
    // A flag and a mark are the learner's, like the schedule: Anki's export without scheduling
    // clears the flags and drops the system tags marked and leech (gather.rs), and so does this one.
    expect(written(false)).toEqual([
      { guid: 'none', flags: 0, tags: '' },
      { guid: 'purple', flags: 0, tags: ' exam ' },
      { guid: 'red', flags: 0, tags: '' },
    ]);
  });
});

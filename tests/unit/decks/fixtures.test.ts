import { describe, expect, it } from 'vitest';
import { importDeckFile, readImportFile } from '../../../electron/services/decks/exchange';
import { listDeckCounts } from '../../../electron/services/decks/deck-read';
import { fixture, freshDatabase } from './support';

const importFixture = (db: ReturnType<typeof freshDatabase>, name: string) => importDeckFile(db, fixture(name), { fileName: name });

describe('Anki fixtures import with the right counts', () => {
  it('anki-media (legacy 1): 1 note, 1 card, 1 media file', () => {
    const db = freshDatabase();
    const { result } = importFixture(db, 'anki-media.apkg');
    expect(result.added).toBe(1);
    expect(listDeckCounts(db)).toEqual([{ name: 'Default', notes: 1, cards: 1, revlog: 0 }]);
    const media = db.prepare('SELECT name, length(data) AS size FROM media').all();
    expect(media).toEqual([{ name: 'foo.wav', size: 4 }]);
    expect(db.prepare('SELECT front FROM notes').pluck().get()).toBe('[sound:foo.wav]');
  });

  it('mujing basic_word (legacy 2, collection.anki21 over a stub anki2): 459 notes of a 13-field note type', () => {
    const db = freshDatabase();
    importFixture(db, 'mujing-basic_word.apkg');
    expect(listDeckCounts(db)).toEqual([{ name: '英语词汇学习', notes: 459, cards: 459, revlog: 0 }]);
    const note = db.prepare("SELECT front, back, fields FROM notes WHERE guid = 'e(,Uaa$E-:'").get() as { front: string; back: string; fields: string };
    // the template shows `english` on the front; the other fields go to the back, all 13 kept
    expect(note.front).toBe('Africa');
    expect(note.back).toContain('非洲');
    const fields = JSON.parse(note.fields);
    expect(fields.names).toHaveLength(13);
    expect(fields.values[1]).toBe('Africa');
    expect(db.prepare("SELECT COUNT(*) FROM notes WHERE front LIKE '%update to the latest Anki%'").pluck().get()).toBe(0);
  });

  it('mujing basic_word_new_version (anki21b, zstd, schema 18): 459 notes and 3 review-log rows', () => {
    const db = freshDatabase();
    const { result, parsed } = importFixture(db, 'mujing-basic_word_new_version.apkg');
    expect(parsed.hasSchedule).toBe(true);
    expect(result.reviews).toBe(3);
    expect(listDeckCounts(db)).toEqual([{ name: '英语词汇学习', notes: 459, cards: 459, revlog: 3 }]);
    const ratings = db.prepare('SELECT rating, duration_ms FROM revlog ORDER BY id').all();
    expect(ratings).toEqual([
      { rating: 4, duration_ms: 25489 },
      { rating: 3, duration_ms: 21926 },
      { rating: 3, duration_ms: 13701 },
    ]);
  });

  it('mujing alphabet (anki21b): 26 Basic notes, not the stub', () => {
    const db = freshDatabase();
    importFixture(db, 'mujing-alphabet-word.apkg');
    expect(listDeckCounts(db)).toEqual([{ name: 'Alphabet Word', notes: 26, cards: 26, revlog: 0 }]);
    expect(db.prepare("SELECT back FROM notes WHERE front = 'book'").pluck().get()).toBe('书');
  });

  it('apkgexport-output: 3 notes of a custom note type, tags, and the PNG image', () => {
    const db = freshDatabase();
    importFixture(db, 'apkgexport-output.apkg');
    expect(listDeckCounts(db)).toEqual([{ name: 'deck-name', notes: 3, cards: 3, revlog: 0 }]);
    const png = db.prepare("SELECT mime, data FROM media WHERE name = 'anki.png'").get() as { mime: string; data: Buffer };
    expect(png.mime).toBe('image/png');
    expect([...png.data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Anki's HTML becomes the Markdown the card renderer shows: the image by its media name
    expect(db.prepare("SELECT front FROM notes WHERE front LIKE '%anki.png%'").pluck().all()).toEqual(['card #3 with image ![](anki.png)']);
    expect(db.prepare("SELECT tags FROM notes WHERE guid = '689533a98392a2f84650550d1bdcf78e87555f0b'").pluck().get()).toBe('food fruit');
  });

  it('update2 after update1 updates the one note in place and duplicates nothing', () => {
    const db = freshDatabase();
    expect(importFixture(db, 'anki-update1.apkg').result.added).toBe(1);
    const before = db.prepare('SELECT id, front FROM notes').get() as { id: number; front: string };
    const cardBefore = db.prepare('SELECT id FROM cards').pluck().get();
    expect(before.front).toBe('hello');
    const { result } = importFixture(db, 'anki-update2.apkg');
    expect(result).toMatchObject({ added: 0, updated: 1, unchanged: 0, conflictsKept: 0 });
    expect(db.prepare('SELECT id, front, back FROM notes').all()).toEqual([{ id: before.id, front: 'goodbye', back: 'world' }]);
    expect(db.prepare('SELECT id FROM cards').pluck().all()).toEqual([cardBefore]);
    // and once more: nothing to do
    expect(importFixture(db, 'anki-update2.apkg').result).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
  });

  it('re-importing every fixture duplicates nothing', () => {
    const db = freshDatabase();
    const names = ['anki-media.apkg', 'mujing-alphabet-word.apkg', 'apkgexport-output.apkg'];
    for (const name of names) importFixture(db, name);
    const counts = listDeckCounts(db);
    for (const name of names) expect(importFixture(db, name).result.added).toBe(0);
    expect(listDeckCounts(db)).toEqual(counts);
  });

  it('reads layouts in the documented order: anki21b before anki21 before the stub anki2', () => {
    expect(readImportFile(fixture('mujing-alphabet-word.apkg'), { fileName: 'a.apkg' }).notes).toHaveLength(26);
  });
});

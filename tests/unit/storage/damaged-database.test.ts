import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services';
import { closeDatabase, lastFullCheck, openDatabase } from '../../../electron/services/store/database';
import { createInMemoryTransport } from '../../../electron/testing/in-memory-transport';
import { sealVouches } from '../../../electron/services/store/integrity';
import { AppError } from '../../../src/shared/errors';
import { createClient } from '../../../src/shared/transport';
import { bytesOf, copyCollection, forgeSeal, pageOf, resourcesDir, scribble, sealedCollection } from './support';

// A damaged proofdeck.sqlite is never written: whether the damage is found at open, by the
// built-in deck sync or by a later call, the services stop using the file, every call says
// 'db-corrupt' (the app shows the database-problem screen) and the file stays byte for byte as
// the damage left it, until the user moves it aside.

const pristine = sealedCollection();
const dirs: string[] = [];
let services: Services | undefined;
afterEach(() => {
  services?.close();
  services = undefined;
});
afterAll(() => {
  for (const dir of [pristine, ...dirs]) rmSync(dir, { recursive: true, force: true });
});

function collection(): { dir: string; file: string } {
  const dir = copyCollection(pristine);
  dirs.push(dir);
  return { dir, file: join(dir, 'proofdeck.sqlite') };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

function start(dir: string) {
  services = createServices({ dataDir: dir, resourcesDir, lock: 'test' });
  return createClient(createInMemoryTransport(services.dispatch));
}

describe('4 KiB of random bytes in the middle of proofdeck.sqlite', () => {
  const size = statSync(join(pristine, 'proofdeck.sqlite')).size;
  // Page-aligned and not, around the middle of the file (cards, notes, the review log, indexes).
  const offsets = [0.35, 0.5, 0.65].flatMap((at) => {
    const page = Math.floor((size * at) / 4096) * 4096;
    return [page, page + 1234];
  });
  for (const seed of [1, 2, 3]) {
    for (const offset of offsets) {
      it(`seed ${seed} at byte ${offset}: the problem screen, and the file untouched`, async () => {
        const { dir, file } = collection();
        expect(sealVouches(file)).not.toBeNull();
        scribble(file, offset, seed);
        const damaged = bytesOf(file);
        const client = start(dir);
        const info = await client.api['app.info']({});
        expect(info.databaseProblem).toMatchObject({ code: 'db-corrupt', path: file });
        expect((await rejection(client.api['review.answer']({ cardId: 1, rating: 3, durationMs: 1000 }))).code).toBe('db-corrupt');
        expect((await rejection(client.api['settings.set']({ newPerDay: 1 }))).code).toBe('db-corrupt');
        services!.close();
        services = undefined;
        expect(bytesOf(file).equals(damaged)).toBe(true);
        expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
      });
    }
  }

  it('is found even when the modification time is put back (the change time cannot be)', async () => {
    const { dir, file } = collection();
    const before = statSync(file);
    scribble(file, Math.floor(size / 2 / 4096) * 4096, 9);
    utimesSync(file, before.atime, before.mtime);
    const damaged = bytesOf(file);
    const client = start(dir);
    expect((await client.api['app.info']({})).databaseProblem?.code).toBe('db-corrupt');
    services!.close();
    services = undefined;
    expect(bytesOf(file).equals(damaged)).toBe(true);
  });

  it('moves the damaged file aside only when asked, keeping its bytes, and starts fresh with the built-in deck', async () => {
    const { dir, file } = collection();
    scribble(file, Math.floor(size / 2 / 4096) * 4096, 4);
    const damaged = bytesOf(file);
    const client = start(dir);
    expect((await client.api['app.info']({})).databaseProblem?.code).toBe('db-corrupt');
    const { movedTo } = await client.api['app.resetDatabase']({ confirm: true });
    expect(readFileSync(movedTo).equals(damaged)).toBe(true);
    expect((await client.api['app.info']({})).databaseProblem).toBeNull();
    expect((await client.api['decks.list']({})).some((deck) => deck.builtIn)).toBe(true);
  });
});

describe('damage the open-time check cannot see (the seal vouches for the file)', () => {
  it('found by the built-in deck sync: the problem state, not a crash, and no write', async () => {
    const { dir, file } = collection();
    const decks = pageOf(file, 'decks');
    scribble(file, decks.offset, 5, decks.pageSize);
    forgeSeal(file);
    const damaged = bytesOf(file);
    // Before, the sync's SQLITE_CORRUPT escaped createServices and the host exited.
    const client = start(dir);
    expect((await client.api['app.info']({})).databaseProblem).toMatchObject({ code: 'db-corrupt', path: file });
    services!.close();
    services = undefined;
    expect(bytesOf(file).equals(damaged)).toBe(true);
  });

  it('found by a later call: that call and every one after it say db-corrupt, and nothing more is written', async () => {
    const { dir, file } = collection();
    const client = start(dir);
    await client.api['review.answer']({ cardId: (await client.api['review.next']({}))!.cardId, rating: 3, durationMs: 2000 });
    services!.close();
    const cards = pageOf(file, 'cards', 'leaf', 3);
    scribble(file, cards.offset, 6, cards.pageSize);
    forgeSeal(file);
    const damaged = bytesOf(file);
    const again = start(dir);
    expect((await again.api['app.info']({})).databaseProblem).toBeNull();
    // Browse reads every card: it meets the damaged page.
    const failed = await rejection(again.api['cards.search']({ query: '', limit: 1000 }).then(() => again.api['stats.get']({})));
    expect(failed.code).toBe('db-corrupt');
    expect((await again.api['app.info']({})).databaseProblem?.code).toBe('db-corrupt');
    expect((await rejection(again.api['settings.set']({ newPerDay: 3 }))).code).toBe('db-corrupt');
    services!.close();
    services = undefined;
    expect(bytesOf(file).equals(damaged)).toBe(true);
  });
});

describe('the seal', () => {
  it('vouches after a clean close, and is gone while the database is open', () => {
    const { dir, file } = collection();
    expect(sealVouches(file)).not.toBeNull();
    services = createServices({ dataDir: dir, lock: 'test' });
    expect(sealVouches(file)).toBeNull();
    services.close();
    services = undefined;
    expect(sealVouches(file)).not.toBeNull();
  });

  it('a start the seal vouches for skips the full check; one after an outside write runs it; neither writes the file', () => {
    const { file } = collection();
    const before = bytesOf(file);
    const checkedAt = sealVouches(file)!;
    let db = openDatabase(file, { now: checkedAt + 1000 });
    expect(lastFullCheck(db)).toBe(checkedAt); // vouched, and checked less than a week ago
    closeDatabase(db, file);
    expect(bytesOf(file).equals(before)).toBe(true);
    // A week later the full check runs anyway.
    db = openDatabase(file, { now: checkedAt + 8 * 86_400_000 });
    expect(lastFullCheck(db)).toBe(checkedAt + 8 * 86_400_000);
    closeDatabase(db, file);
    // Another program rewrote the file with the same bytes: its times changed, so the seal no longer vouches.
    writeFileSync(file, bytesOf(file));
    db = openDatabase(file, { now: checkedAt + 9 * 86_400_000 });
    expect(lastFullCheck(db)).toBe(checkedAt + 9 * 86_400_000);
    closeDatabase(db, file);
    expect(bytesOf(file).equals(before)).toBe(true);
  });
});

import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methods } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { createClient } from '../../src/shared/transport';
import { createServices, type Services } from './index';
import { createInMemoryTransport } from '../testing/in-memory-transport';
import { createHandlers } from './handlers';
import { createDispatch } from './dispatch';
import { openDatabase, latestVersion } from './store/database';
import { addCard, addDeck, temporaryDir } from '../testing/fixtures';

let dir: { dir: string; remove(): void };
let services: Services | undefined;
beforeEach(() => {
  dir = temporaryDir();
});
afterEach(() => {
  services?.close();
  services = undefined;
  dir.remove();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

function snapshot(file: string): string {
  const db = new Database(file, { readonly: true });
  const tables = ['cards', 'revlog', 'settings', 'notes', 'decks'];
  const rows = tables.map((t) => db.prepare(`SELECT * FROM ${t}`).all());
  db.close();
  return JSON.stringify(rows);
}

describe('createServices', () => {
  it('has a handler for every method of the contract', () => {
    services = createServices({ dataDir: dir.dir });
    const area = createHandlers(services.context!) as Record<string, unknown>;
    for (const m of methods) {
      if (m !== 'app.info' && m !== 'app.resetDatabase' && m !== 'decks.openedFiles') expect(typeof area[m], m).toBe('function');
    }
  });

  it('loads the built-in deck on first start, once, and serves it in both languages', async () => {
    const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url));
    services = createServices({ dataDir: dir.dir, resourcesDir });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const decks = await client.api['decks.list']({});
    const builtIn = decks.find((d) => d.builtIn)!;
    expect(builtIn.cards).toBeGreaterThanOrEqual(15);
    const builtInCards = decks.filter((d) => d.builtIn).reduce((sum, d) => sum + d.cards, 0);
    expect(builtInCards).toBeGreaterThanOrEqual(15 + 35);
    const today = await client.api['review.today']({});
    expect(today.counts.new).toBe(Math.min(20, builtInCards));
    const ko = (await client.api['review.next']({ locale: 'ko' }))!;
    const en = (await client.api['review.next']({ locale: 'en' }))!;
    expect(en.cardId).toBe(ko.cardId);
    expect(ko.front).toMatch(/[가-힣]/);
    expect(en.front).not.toMatch(/[가-힣]/);
    await client.api['review.answer']({ cardId: ko.cardId, rating: 3, durationMs: 1000 });
    services.close();
    services = createServices({ dataDir: dir.dir, resourcesDir });
    const again = createClient(createInMemoryTransport(services.dispatch));
    expect((await again.api['decks.list']({})).find((d) => d.builtIn)!.cards).toBe(builtIn.cards);
    expect((await again.api['review.today']({})).reviewedToday).toBe(1);
  });

  it('drives the contract end to end over the in-memory transport, refusing malformed calls without writing', async () => {
    services = createServices({ dataDir: dir.dir, timeZone: 'Asia/Seoul' });
    const deckId = addDeck(services.db!);
    const cardId = addCard(services.db!, { deckId, front: 'What does the KV-cache remove?' });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const file = join(dir.dir, 'proofdeck.sqlite');
    const before = snapshot(file);

    const malformed: [string, unknown][] = [
      ['review.answer', { cardId, rating: 5, durationMs: 1 }],
      ['review.answer', { cardId: 'one', rating: 3, durationMs: 1 }],
      ['review.answer', { cardId, rating: 3, durationMs: 1, extra: true }],
      ['review.suspend', { cardId }],
      ['settings.set', { newPerDay: -1 }],
      ['settings.set', { dayStartHour: 4.5 }],
      ['app.resetDatabase', { confirm: false }],
      ['review.next', { locale: 'fr' }],
    ];
    for (const [method, args] of malformed) {
      const error = await rejection(client.api[method as 'review.answer'](args as never));
      expect(error.code, method).toBe('invalid-args');
      expect(error.message).toContain(method);
    }
    expect(snapshot(file)).toBe(before);

    const card = (await client.api['review.next']({ locale: 'en' }))!;
    expect(card.front).toBe('What does the KV-cache remove?');
    await client.api['review.answer']({ cardId: card.cardId, rating: 3, durationMs: 900 });
    expect((await client.api['review.today']({})).reviewedToday).toBe(1);
    const info = await client.api['app.info']({});
    expect(info).toMatchObject({ dataDir: dir.dir, databaseProblem: null });
  });

  it('carries host events to subscribers until they unsubscribe', async () => {
    services = createServices({ dataDir: dir.dir });
    const real = services.handlers;
    const dispatch = createDispatch({
      ...real,
      'review.today': (args, call) => {
        call.emit('progress', { jobId: 'job-1', fraction: 0.5, message: 'half' });
        return real['review.today'](args, call);
      },
    });
    const client = createClient(createInMemoryTransport(dispatch));
    const seen: unknown[] = [];
    const stop = client.on('progress', (p) => seen.push(p));
    await client.api['review.today']({});
    stop();
    await client.api['review.today']({});
    expect(seen).toEqual([{ jobId: 'job-1', fraction: 0.5, message: 'half' }]);
  });

  it('starts degraded on a corrupt database, says why, and starts fresh after moving it aside', async () => {
    const file = join(dir.dir, 'proofdeck.sqlite');
    const junk = Buffer.from('not sqlite at all'.repeat(100));
    writeFileSync(file, junk);
    services = createServices({ dataDir: dir.dir });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const info = await client.api['app.info']({});
    expect(info.databaseProblem).toMatchObject({ code: 'db-corrupt', path: file });
    expect((await rejection(client.api['review.today']({}))).code).toBe('db-corrupt');
    expect(readFileSync(file).equals(junk)).toBe(true);

    const { movedTo } = await client.api['app.resetDatabase']({ confirm: true });
    expect(readFileSync(movedTo).equals(junk)).toBe(true);
    expect((await client.api['app.info']({})).databaseProblem).toBeNull();
    expect((await client.api['review.today']({})).totalCards).toBe(0);
    expect(existsSync(file)).toBe(true);
  });

  it('stops on damage found after a clean start, without writing to the file', async () => {
    services = createServices({ dataDir: dir.dir });
    const deckId = addDeck(services.db!);
    services.db!.transaction(() => {
      for (let i = 0; i < 3000; i++) addCard(services!.db!, { deckId, state: 2, due: i, front: `card ${i} `.repeat(20) });
    })();
    services.close();
    const file = join(dir.dir, 'proofdeck.sqlite');
    const bytes = readFileSync(file);
    for (let i = Math.floor(bytes.length / 2); i < bytes.length - 8192; i += 3) bytes[i] = 0x5a;
    writeFileSync(file, bytes);

    services = createServices({ dataDir: dir.dir });
    const client = createClient(createInMemoryTransport(services.dispatch));
    const problem = async () => (await client.api['app.info']({})).databaseProblem;
    if ((await problem()) === null) {
      // The weekly full check was not due: the first statement that reads a damaged page finds it.
      expect((await rejection(client.api['decks.list']({}))).code).toBe('db-corrupt');
    }
    expect((await problem())?.code).toBe('db-corrupt');
    expect((await rejection(client.api['review.today']({}))).code).toBe('db-corrupt');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a database from a newer version the same way', async () => {
    const file = join(dir.dir, 'proofdeck.sqlite');
    const db = openDatabase(file);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    const bytes = readFileSync(file);
    services = createServices({ dataDir: dir.dir });
    const client = createClient(createInMemoryTransport(services.dispatch));
    expect((await client.api['app.info']({})).databaseProblem?.code).toBe('db-newer');
    expect((await rejection(client.api['settings.set']({ newPerDay: 5 }))).code).toBe('db-newer');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});

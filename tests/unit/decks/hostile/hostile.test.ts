import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { readdirSync } from 'node:fs';
import { AppError } from '../../../../src/shared/errors';
import { stopParser } from '../../../../electron/services/decks/isolated-parse';
import { importDeckFileIsolated } from '../../../../electron/services/decks/exchange-isolated';
import { fixture, fixtures } from '../support';
import { hostileCases, objectBomb } from './cases';
import { attempt, expectClearRefusal, fileHash, openCollection, upload, type Collection } from './harness';
import { zip } from './files';

// Every hostile file goes through the services as the browser host runs them: uploaded, previewed
// and applied, each read in the parser worker. A refusal must be clear (translated, naming its
// limit), the collection's file must stay byte-for-byte the same, and the services must answer.

let collection: Collection;

beforeAll(async () => {
  collection = openCollection();
  // Something to lose: a real deck with its cards already in the collection.
  const uploadId = await upload(collection, fixture('anki-update1.apkg'));
  await collection.api['decks.importApply']({ uploadId, fileName: 'update1.apkg', choices: { default: 'keep-mine' } });
});

afterAll(() => {
  stopParser();
  collection.services.close();
});

describe('hostile deck files', () => {
  for (const hostile of hostileCases) {
    it(`${hostile.name}: ${hostile.expect === 'imports' ? 'imports cleanly' : `refused (${hostile.expect.join(' or ')})`}`, async () => {
      const made = hostile.make();
      const before = fileHash(collection);
      const started = performance.now();
      const outcome = await attempt(collection, hostile, made);
      const seconds = (performance.now() - started) / 1000;
      if (hostile.expect === 'imports') {
        expect('imported' in outcome, 'refused' in outcome ? outcome.refused.message : '').toBe(true);
        expect(collection.services.db!.pragma('integrity_check', { simple: true })).toBe('ok');
      } else {
        expect('refused' in outcome, `imported a file that should be refused`).toBe(true);
        expectClearRefusal((outcome as { refused: AppError }).refused, hostile.expect);
        expect(fileHash(collection), 'the collection changed').toBe(before);
      }
      // The services still answer (the process that owns the database is alive and serving).
      expect((await collection.api['decks.list']({})).map((deck) => deck.name)).toContain('Default');
      expect(seconds, 'refused within the time budget and its margin').toBeLessThan(20 + 10);
    });
  }
});

describe('the services while a hostile file is read', () => {
  it('answer reviews during a hostile preview, and read the next file normally after it is refused', async () => {
    const uploadId = await upload(collection, objectBomb(20_000_000));
    let settled = false;
    const preview = collection.api['decks.importPreview']({ uploadId, fileName: 'objects.proofdeck' }).finally(() => (settled = true));
    // Calls made while the worker reads the file are answered meanwhile, not after it.
    const answered: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const today = await collection.api['review.today']({});
      expect(today).toBeDefined();
      answered.push(!settled);
      await collection.api['review.next']({});
    }
    expect(answered.filter(Boolean).length, 'calls answered while the preview ran').toBeGreaterThan(0);
    await expect(preview).rejects.toMatchObject({ code: 'import-too-large', params: { reason: 'json-too-complex' } });
    const next = await upload(collection, fixture('apkgexport-output.apkg'));
    await expect(collection.api['decks.importPreview']({ uploadId: next, fileName: 'o.apkg' })).resolves.toMatchObject({ added: 3, cards: 3, cardsAdded: 3 });
  });

  it('a worker that ran out of heap is replaced, and the next import is whole', async () => {
    const bomb = new TextEncoder().encode((','.repeat(999) + '\n').repeat(20_000));
    const before = fileHash(collection);
    await expect(importDeckFileIsolated(collection.services.db!, bomb, { fileName: 'c.csv' }, { default: 'keep-mine' }, { seconds: 60, heapMiB: 64 })).rejects.toMatchObject({
      params: { reason: 'parse-memory', limit: '64 MiB' },
    });
    expect(fileHash(collection)).toBe(before);
    const { result } = await importDeckFileIsolated(collection.services.db!, fixture('mujing-alphabet-word.apkg'), { fileName: 'a.apkg' });
    expect(result.added).toBe(26);
  });
});

/** mulberry32: small, seeded, reproducible. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Flips 1–16 random bits: of the file as it is (the zip's CRCs catch them), or inside one entry re-zipped (they reach the parsers). */
function flip(bytes: Uint8Array, next: () => number): Uint8Array {
  const inside = next() < 0.6;
  const flipBits = (data: Uint8Array) => {
    const out = new Uint8Array(data);
    for (let i = 0, n = 1 + Math.floor(next() * 16); i < n && out.length; i++) out[Math.floor(next() * out.length)] ^= 1 << Math.floor(next() * 8);
    return out;
  };
  if (!inside) return flipBits(bytes);
  const files = unzipSync(bytes);
  const names = Object.keys(files).filter((name) => files[name].length > 0);
  const name = names[Math.floor(next() * names.length)];
  files[name] = flipBits(files[name]);
  return zip(files);
}

describe('fuzz: the real Anki fixtures with random bit flips, through the parser worker', () => {
  it('every mutation imports cleanly or is refused clearly, and a refusal changes nothing', async () => {
    const next = random(20261204);
    const names = readdirSync(fixtures).filter((name) => name.endsWith('.apkg'));
    const outcome = { cases: 0, refused: 0, imported: 0 };
    const reasons = new Map<string, number>();
    for (const name of names) {
      const original = fixture(name);
      for (let i = 0; i < 12; i++) {
        const mutated = flip(original, next);
        outcome.cases++;
        const before = fileHash(collection);
        try {
          await importDeckFileIsolated(collection.services.db!, mutated, { fileName: name }, { default: next() < 0.5 ? 'keep-mine' : 'take-theirs' });
          outcome.imported++;
        } catch (error) {
          if (!(error instanceof AppError) || !error.code.startsWith('import-')) throw new Error(`${name} #${i}: not a clear error: ${String(error)}`);
          outcome.refused++;
          reasons.set(String(error.params?.reason), (reasons.get(String(error.params?.reason)) ?? 0) + 1);
          expect(fileHash(collection), `${name} #${i} (${error.message}) changed the collection`).toBe(before);
        }
      }
    }
    console.log(`fuzz through the worker: ${outcome.cases} cases, ${outcome.refused} refused, ${outcome.imported} imported; reasons ${JSON.stringify(Object.fromEntries(reasons))}`);
    expect(outcome.cases).toBe(names.length * 12);
    expect(outcome.refused).toBeGreaterThan(outcome.cases / 4);
    expect(collection.services.db!.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

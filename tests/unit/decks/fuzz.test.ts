import { describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import { importDeckFile } from '../../../electron/services/decks/exchange';
import { AppError } from '../../../src/shared/errors';
import { fixture, freshDatabase, snapshot } from './support';
import { validProofdeck } from './build';

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

function mutate(bytes: Uint8Array, next: () => number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  const kind = Math.floor(next() * 5);
  const at = Math.floor(next() * Math.max(1, bytes.length));
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(next() * 8); i < n; i++) out[Math.floor(next() * out.length)] ^= 1 << Math.floor(next() * 8);
    return out;
  }
  if (kind === 1) return out.slice(0, at);
  if (kind === 2) {
    const insert = new Uint8Array(1 + Math.floor(next() * 16)).map(() => Math.floor(next() * 256));
    const result = new Uint8Array(out.length + insert.length);
    result.set(out.subarray(0, at));
    result.set(insert, at);
    result.set(out.subarray(at), at + insert.length);
    return result;
  }
  if (kind === 3) {
    out.fill(next() < 0.5 ? 0 : 0xff, at, Math.min(out.length, at + 1 + Math.floor(next() * 64)));
    return out;
  }
  // interesting values in place (sizes, counts, lengths)
  const values = [0, 1, 0x7f, 0x80, 0xff];
  for (let i = 0; i < 4 && at + i < out.length; i++) out[at + i] = values[Math.floor(next() * values.length)];
  return out;
}

/** Mutates the content of one entry and re-zips (stored), so mutations reach the parsers, not only inflate. */
function mutateInside(zip: Uint8Array, next: () => number): Uint8Array {
  const files = unzipSync(zip);
  const names = Object.keys(files);
  const name = names[Math.floor(next() * names.length)];
  files[name] = mutate(files[name], next);
  const stored: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [entry, data] of Object.entries(files)) stored[entry] = [data, { level: 0 }];
  return zipSync(stored);
}

const csv = new TextEncoder().encode('front,back,tags\n"q, with comma",a1,x y\nq2,"<b>a2</b>",z\nq3,a3,\n');

describe('fuzz: mutated valid files never crash and never write partially', () => {
  it('survives thousands of seeded mutations', () => {
    const seeds: { name: string; bytes: Uint8Array; weight: number }[] = [
      { name: 'deck.proofdeck', bytes: validProofdeck(), weight: 1500 },
      { name: 'deck.csv', bytes: csv, weight: 1000 },
      { name: 'u.apkg', bytes: fixture('anki-update1.apkg'), weight: 400 },
      { name: 'o.apkg', bytes: fixture('apkgexport-output.apkg'), weight: 300 },
      { name: 'a.apkg', bytes: fixture('mujing-alphabet-word.apkg'), weight: 100 },
    ];
    const next = random(20261127);
    const db = freshDatabase();
    importDeckFile(db, fixture('anki-update2.apkg'), { fileName: 'base.apkg' });
    let baseline: ReturnType<typeof snapshot> | null = snapshot(db);
    const spent: Record<string, number> = {};
    const outcome = { cases: 0, refused: 0, imported: 0 };
    for (const seed of seeds) {
      const isZip = !seed.name.endsWith('.csv');
      const started = performance.now();
      for (let i = 0; i < seed.weight; i++) {
        baseline ??= snapshot(db);
        const bytes = isZip && next() < 0.5 ? mutateInside(seed.bytes, next) : mutate(seed.bytes, next);
        outcome.cases++;
        try {
          importDeckFile(db, bytes, { fileName: seed.name }, { default: next() < 0.5 ? 'keep-mine' : 'take-theirs' });
          outcome.imported++;
          baseline = null; // taken again before the next case
        } catch (e) {
          if (!(e instanceof AppError) || !e.code.startsWith('import-')) {
            throw new Error(`case ${outcome.cases} (${seed.name}) crashed: ${e instanceof Error ? e.stack : String(e)}`);
          }
          outcome.refused++;
          expect(snapshot(db)).toEqual(baseline);
        }
      }
      spent[seed.name] = Math.round(performance.now() - started);
    }
    console.log(`fuzz: ${outcome.cases} cases, ${outcome.refused} refused cleanly, ${outcome.imported} imported; ms per seed ${JSON.stringify(spent)}`);
    expect(outcome.cases).toBe(3300);
    expect(outcome.refused).toBeGreaterThan(1000);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

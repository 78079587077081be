/**
 * `npm run bench:decks [-- --json] [--notes N]`: deck exchange on a 10,000-note deck (default),
 * with Markdown, math, Mermaid, tags, one image and a review history on a tenth of the cards.
 * Each figure is the wall time of one operation as a user triggers it (read/write the file bytes
 * + parse + merge + one transaction), on a fresh database file:
 * - exportProofdeckMs / importProofdeckMs (into an empty database) / reimportProofdeckMs (all unchanged)
 * - exportApkgMs / importApkgMs (into an empty database)
 * - importApkgWorkerColdMs / importApkgWorkerMs: the .apkg import as the hosts run it, read in the
 *   parser worker (from tsx here, so the cold start transpiles the parser; the bundles start faster)
 * Goal: each under 3,000 ms. `…CpuMs` is the CPU time of the same operation: on a shared machine
 * wall time mostly measures the neighbours. With --json: one JSON object; details go to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import { openDatabase } from '../electron/services/store/database';
import { applyImport } from '../electron/services/decks/merge';
import { exportDeck, importDeckFile } from '../electron/services/decks/exchange';
import { importDeckFileIsolated } from '../electron/services/decks/exchange-isolated';
import { stopParser } from '../electron/services/decks/isolated-parse';
import type { ExchangeNote, ParsedImport } from '../electron/services/decks/types';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, notes: { type: 'string' } } });
const noteCount = Number(values.notes ?? 10_000);
const root = mkdtempSync(join(tmpdir(), 'pd-bench-decks-'));
let databases = 0;
const fresh = (): Database.Database => openDatabase(join(root, `db-${databases++}.sqlite`));

const PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

function makeNotes(): ExchangeNote[] {
  return Array.from({ length: noteCount }, (_, i) => ({
    guid: `bench:q-${i}`,
    front: `## Question ${i}: why does the KV-cache keep decode cost at $O(L \\cdot d)$ per token?${i === 0 ? ' <img src="bench.png">' : ''}`,
    back: `A. Because keys and values of earlier tokens are **cached**: $$\\text{bytes} = 2 \\cdot L \\cdot h \\cdot d \\cdot T$$\n\n- point one\n- point two\n\n${i % 50 === 0 ? '```mermaid\ngraph LR; Q-->K; K-->V\n```' : '`code` and text'}`,
    context: i % 10 === 0 ? 'Context section shared by a few notes, with a [link](https://example.com).' : '',
    language: 'ko',
    translations: null,
    tags: ['bench', `group-${i % 20}`],
    experimentId: i % 100 === 0 ? 'kv-cache-speed' : null,
    experimentParams: i % 100 === 0 ? { tokens: 256 } : null,
    fields: null,
  }));
}

function seed(db: Database.Database): void {
  const parsed: ParsedImport = { format: 'proofdeck', deckName: 'Bench', description: '', notes: makeNotes(), media: [{ name: 'bench.png', mime: 'image/png', data: PNG }], warnings: [], hasSchedule: false };
  applyImport(db, parsed, { default: 'keep-mine' });
  const now = Date.now();
  db.transaction(() => {
    const cards = db.prepare('SELECT id FROM cards WHERE id % 10 = 0').pluck().all() as number[];
    const update = db.prepare('UPDATE cards SET state = 2, due = ?, stability = 10, difficulty = 5, reps = 3, scheduled_days = 10, last_review = ? WHERE id = ?');
    const log = db.prepare('INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms) VALUES (?, ?, 3, 2, ?, 10, 5, 3, 1, 10, 0, 5000)');
    cards.forEach((card, i) => {
      update.run(now + 86_400_000 * 5, now - 86_400_000 * 5, card);
      for (let r = 0; r < 3; r++) log.run(now - 86_400_000 * (10 - r) + i * 10, card, now);
    });
  })();
}

const cpu: Record<string, number> = {};
let operation = 0;
const operations = ['exportProofdeckCpuMs', 'importProofdeckCpuMs', 'reimportProofdeckCpuMs', 'exportApkgCpuMs', 'importApkgCpuMs'];

/** Wall time, and CPU time of this process (less sensitive to other work on a shared machine). */
function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(cpuStart);
  cpu[operations[operation++]] = Math.round((used.user + used.system) / 1000);
  return [result, Math.round(performance.now() - started)];
}

const source = fresh();
seed(source);
const [proofdeck, exportProofdeckMs] = time(() => exportDeck(source, 'Bench', 'proofdeck', { includeSchedule: true }));
const target = fresh();
const [imported, importProofdeckMs] = time(() => importDeckFile(target, proofdeck.bytes, { fileName: 'bench.proofdeck' }));
const [again, reimportProofdeckMs] = time(() => importDeckFile(target, proofdeck.bytes, { fileName: 'bench.proofdeck' }));
const [apkg, exportApkgMs] = time(() => exportDeck(source, 'Bench', 'apkg', { includeSchedule: true }));
const ankiTarget = fresh();
const [fromAnki, importApkgMs] = time(() => importDeckFile(ankiTarget, apkg.bytes, { fileName: 'bench.apkg' }));

/** The same .apkg as the hosts import it: read in the parser worker (started cold, then reused), then written. */
async function isolated(): Promise<number> {
  const db = fresh();
  const started = performance.now();
  await importDeckFileIsolated(db, apkg.bytes, { fileName: 'bench.apkg' });
  db.close();
  return Math.round(performance.now() - started);
}
const importApkgWorkerColdMs = await isolated();
const importApkgWorkerMs = await isolated();
stopParser();

const figures = {
  notes: noteCount,
  exportProofdeckMs,
  importProofdeckMs,
  reimportProofdeckMs,
  exportApkgMs,
  importApkgMs,
  importApkgWorkerColdMs,
  importApkgWorkerMs,
  ...cpu,
  proofdeckBytes: proofdeck.bytes.length,
  apkgBytes: apkg.bytes.length,
};
console.error(
  `imported ${imported.result.added} notes (${imported.result.reviews} reviews); re-import unchanged ${again.result.unchanged}; from .apkg ${fromAnki.result.added} notes, ${fromAnki.result.reviews} reviews`,
);
for (const db of [source, target, ankiTarget]) db.close();
rmSync(root, { recursive: true, force: true });
const slow = Object.entries(figures).filter(([key, value]) => key.endsWith('Ms') && !key.endsWith('CpuMs') && value >= 3000);
console.error(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
if (values.json) console.log(JSON.stringify(figures));
else {
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(22)} ${value}`);
  console.log(slow.length ? `over 3 s: ${slow.map(([k]) => k).join(', ')}` : 'all under 3 s');
}

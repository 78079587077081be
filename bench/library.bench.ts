/**
 * `npm run bench:library [-- --json] [--cards N] [--revlog N]`: search and statistics on a large
 * generated collection (defaults: 100,000 cards, 1,000,000 review-log rows). Medians of repeats.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCollection } from './support/collection';
import { parseQuery } from '../electron/services/cards/query';
import { storesFor } from '../electron/services/store/stores';
import { computeStats } from '../electron/services/stats/stats';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, cards: { type: 'string' }, revlog: { type: 'string' }, repeats: { type: 'string' } } });
const cards = Number(values.cards ?? 100_000);
const revlog = Number(values.revlog ?? 1_000_000);
const repeats = Number(values.repeats ?? 7);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn: () => void): number {
  const samples: number[] = [];
  fn(); // warm-up: statement preparation and page cache
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'proofdeck-bench-library-'));
try {
  const now = Date.now();
  const t0 = performance.now();
  const db = generateCollection(join(dir, 'proofdeck.sqlite'), cards, revlog, now);
  const generateMs = performance.now() - t0;
  const store = storesFor(db);
  store.search.registerRetrievability();
  const dayStart = now - (now % 86_400_000);
  const queries = ['', '어텐션', 'deck:Interview::* is:review prop:ivl>=10', 'tag:hard prop:lapses>3', 'prop:r<0.9 -is:suspended', 'is:due'];
  const perQuery: Record<string, number> = {};
  for (const query of queries) {
    perQuery[query || '(all)'] = time(() =>
      store.search.search({ terms: parseQuery(query), sort: 'due', descending: false, offset: 0, limit: 100, now, nextDayStart: dayStart + 86_400_000 }),
    );
  }
  const searchMs = median(Object.values(perQuery));
  const statsMs = time(() => computeStats(store, { now, dayStart, heatmapDays: 365, forecastDays: 30, recentDays: 30 }));
  db.close();
  const result = { cards, revlog, searchMs, statsMs, searchMsByQuery: perQuery, generateMs };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`collection: ${cards} cards, ${revlog} review-log rows (generated in ${generateMs.toFixed(0)} ms)`);
    for (const [q, ms] of Object.entries(perQuery)) console.log(`search ${JSON.stringify(q).padEnd(48)} ${ms.toFixed(1)} ms`);
    console.log(`search median ${searchMs.toFixed(1)} ms (target < 50 ms); stats ${statsMs.toFixed(1)} ms (target < 500 ms)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

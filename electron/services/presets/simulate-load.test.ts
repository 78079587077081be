import { afterEach, expect, it } from 'vitest';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul } from '../../testing/services';
import { seededRandom } from '../../../src/shared/random';

const DAY = 86_400_000;
const dir = temporaryDir();
afterEach(() => dir.remove());

it('simulates a flatter daily load with load balancing than without, from the same collection', async () => {
  const now = seoul(2026, 3, 10, 9);
  const t = openTestServices(dir.dir, now);
  const db = t.services.db!;
  const deck = addDeck(db, 'Sim');
  const random = seededRandom(7);
  // 1,500 reviews bunched on a few days of the next month (an import of a deck studied in bursts), and new cards.
  for (let i = 0; i < 1500; i++) {
    const day = [1, 2, 8, 9, 15][Math.floor(random() * 5)];
    const stability = 3 + random() * 20;
    addCard(db, { deckId: deck, state: 2, due: now + day * DAY, stability, difficulty: 3 + random() * 5, lastReview: now + day * DAY - Math.round(stability) * DAY });
  }
  for (let i = 0; i < 200; i++) addCard(db, { deckId: deck });
  const sim = await t.client.api['presets.simulateLoad']({ days: 45 });
  console.log(`simulated 45 days: balanced ${JSON.stringify(sim.summary.balanced)}, unbalanced ${JSON.stringify(sim.summary.unbalanced)}`);
  console.log(`balanced   ${sim.balanced.join(' ')}`);
  console.log(`unbalanced ${sim.unbalanced.join(' ')}`);
  expect(sim.days).toHaveLength(45);
  // The same reviews in both runs' first days (nothing has been placed yet).
  expect(sim.balanced[1]).toBe(sim.unbalanced[1]);
  expect(sim.summary.balanced.sd).toBeLessThan(sim.summary.unbalanced.sd);
  expect(sim.summary.balanced.max).toBeLessThanOrEqual(sim.summary.unbalanced.max);
  t.services.close();
});

// Child process of durability.test.ts: answers cards as fast as it can and prints each answer
// once review.answer has resolved (what the UI would show as confirmed), until it is killed.
import { createServices } from '../services/index';

const services = createServices({ dataDir: process.argv[2], log: (e) => console.error(e) });
const handlers = services.handlers;
const noCall = { emit: () => {} };

async function main(): Promise<void> {
  for (;;) {
    const card = await handlers['review.next']({}, noCall);
    if (!card) break;
    await handlers['review.answer']({ cardId: card.cardId, rating: 4, durationMs: 1000 }, noCall);
    process.stdout.write(`confirmed ${card.cardId}\n`);
  }
  process.stdout.write('done\n');
}
void main();

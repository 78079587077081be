// A second ProofDeck process for the storage tests, run with `node --import tsx child.ts MODE DIR`:
// - hold: opens the services on DIR as the browser host would, prints `ready`, and answers cards
//   (printing `confirmed <id>`) until it is killed;
// - open: opens the services on DIR and prints one JSON line: the database problem, or the error.
import { createServices } from '../../../electron/services';
import { AppError } from '../../../src/shared/errors';

const [mode, dataDir] = process.argv.slice(2);
const noCall = { emit: () => undefined };

async function main(): Promise<void> {
  let services;
  try {
    services = createServices({ dataDir, lock: mode === 'hold' ? 'browser-host' : 'cli' });
  } catch (e) {
    const error = e instanceof AppError ? e.toFailure() : { code: 'crash', message: String(e) };
    process.stdout.write(`${JSON.stringify({ error })}\n`);
    process.exitCode = 3;
    return;
  }
  if (mode === 'open') {
    process.stdout.write(`${JSON.stringify({ problem: services.databaseProblem })}\n`);
    services.close();
    return;
  }
  process.stdout.write('ready\n');
  for (;;) {
    const card = await services.handlers['review.next']({}, noCall);
    if (!card) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    await services.handlers['review.answer']({ cardId: card.cardId, rating: 4, durationMs: 1000 }, noCall);
    process.stdout.write(`confirmed ${card.cardId}\n`);
  }
}
void main();

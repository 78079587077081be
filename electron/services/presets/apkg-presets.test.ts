import { afterEach, expect, it } from 'vitest';
import { uploadChunkBytes } from '../../../src/shared/contract';
import type { Client } from '../../../src/shared/transport';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul } from '../../testing/services';

const dirs: { dir: string; remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

async function upload(api: Client['api'], uploadId: string, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += uploadChunkBytes) {
    await api['decks.upload']({ uploadId, offset, total: bytes.length, data: Buffer.from(bytes.subarray(offset, offset + uploadChunkBytes)).toString('base64') });
  }
}

it("carries a deck's preset through an .apkg as Anki's deck options, and gives it to the deck the import makes", async () => {
  const now = seoul(2026, 3, 10, 9);
  const from = temporaryDir();
  const to = temporaryDir();
  dirs.push(from, to);
  const a = openTestServices(from.dir, now);
  const deck = addDeck(a.services.db!, 'Exam deck');
  addCard(a.services.db!, { deckId: deck });
  const exam = await a.client.api['presets.create']({ name: 'Exam' });
  const config = { newPerDay: 3, reviewsPerDay: 80, learningSteps: ['2m', '1h'], relearningSteps: ['5m'], desiredRetention: 0.85, buryNew: false, maximumInterval: 60, easyDays: [1, 1, 1, 1, 1, 0.5, 0] as (0 | 0.5 | 1)[] };
  await a.client.api['presets.update']({ id: exam.id, config });
  await a.client.api['presets.assign']({ deckId: deck, presetId: exam.id });
  const file = await a.client.api['decks.export']({ deckName: 'Exam deck', format: 'apkg' });
  a.services.close();

  const b = openTestServices(to.dir, now);
  await upload(b.client.api, 'upload-presets', Buffer.from(file.data, 'base64'));
  await b.client.api['decks.importApply']({ uploadId: 'upload-presets', fileName: file.fileName, choices: { default: 'keep-mine' } });
  const presets = await b.client.api['presets.list']({});
  const imported = presets.find((p) => p.name === 'Exam');
  expect(imported?.config).toMatchObject({ ...config, buryReviews: true });
  const decks = await b.client.api['decks.list']({});
  expect(decks.find((d) => d.name === 'Exam deck')).toMatchObject({ presetId: imported?.id, new: 1 });
  // The import, preset included, is one operation of the undo history.
  await b.client.api['undo.undo']({});
  expect((await b.client.api['presets.list']({})).map((p) => p.name)).toEqual(['Default']);
  b.services.close();
});

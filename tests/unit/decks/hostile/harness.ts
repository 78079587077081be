// Runs a hostile file through the services as the hosts do (upload, preview, apply, each read in
// the parser worker) and checks what a user and their data would notice: a clear error naming
// the limit in both languages, the collection's file byte-for-byte unchanged, the services alive.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { createInMemoryTransport } from '../../../../electron/testing/in-memory-transport';
import { importDeckFileIsolated, importFolderIsolated, previewImportIsolated } from '../../../../electron/services/decks/exchange-isolated';
import { uploadChunkBytes } from '../../../../src/shared/contract';
import { createClient } from '../../../../src/shared/transport';
import { AppError } from '../../../../src/shared/errors';
import { createTranslator, importErrorText } from '../../../../src/shared/i18n';
import type { HostileCase } from './cases';

const ko = createTranslator('ko');
const en = createTranslator('en');

export interface Collection {
  services: Services;
  api: ReturnType<typeof createClient>['api'];
  file: string;
}

/** Services on a fresh data folder, as the browser host opens them. */
export function openCollection(): Collection {
  const dataDir = mkdtempSync(join(tmpdir(), 'pd-hostile-'));
  const services = createServices({ dataDir });
  return { services, api: createClient(createInMemoryTransport(services.dispatch)).api, file: join(dataDir, 'proofdeck.sqlite') };
}

/** The database file's hash once the WAL is folded into it (and emptied). */
export function fileHash(collection: Collection): string {
  collection.services.db!.pragma('wal_checkpoint(TRUNCATE)');
  expect(statSync(`${collection.file}-wal`).size).toBe(0);
  return createHash('sha256').update(readFileSync(collection.file)).digest('hex');
}

let uploads = 0;

export async function upload(collection: Collection, bytes: Uint8Array): Promise<string> {
  const uploadId = `hostile-${++uploads}-${Date.now()}`;
  for (let offset = 0; offset < bytes.length; offset += uploadChunkBytes) {
    const chunk = bytes.subarray(offset, offset + uploadChunkBytes);
    await collection.api['decks.upload']({ uploadId, offset, total: bytes.length, data: Buffer.from(chunk).toString('base64') });
  }
  return uploadId;
}

export type Outcome = { refused: AppError } | { imported: number };

async function settle(run: () => Promise<unknown>): Promise<AppError | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`not a clear error: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

/**
 * Preview, then apply, as a user would (through the contract when the case uses the standard
 * budget). Returns the refusal, or the number of notes imported.
 */
export async function attempt(collection: Collection, hostile: HostileCase, made: Uint8Array | { folder: string }): Promise<Outcome> {
  const db = collection.services.db!;
  if ('folder' in made) {
    let imported = 0;
    const refused = await settle(async () => (imported = (await importFolderIsolated(db, made.folder, { default: 'take-theirs' })).reduce((sum, r) => sum + r.added, 0)));
    return refused ? { refused } : { imported };
  }
  const options = { fileName: hostile.fileName };
  if (hostile.budget) {
    const preview = await settle(() => previewImportIsolated(db, made, options, hostile.budget));
    let imported = 0;
    const apply = await settle(async () => (imported = (await importDeckFileIsolated(db, made, options, { default: 'take-theirs' }, hostile.budget)).result.added));
    if (preview && apply) expect(apply.params?.reason).toBe(preview.params?.reason);
    const refused = preview ?? apply;
    return refused ? { refused } : { imported };
  }
  const uploadId = await upload(collection, made);
  const preview = await settle(() => collection.api['decks.importPreview']({ uploadId, fileName: hostile.fileName }));
  let imported = 0;
  const apply = await settle(async () => (imported = (await collection.api['decks.importApply']({ uploadId, fileName: hostile.fileName, choices: { default: 'take-theirs' } })).added));
  // The same file is refused the same way by the preview and by the import itself.
  if (preview) expect(apply?.params?.reason, `apply after a refused preview: ${apply?.message}`).toBe(preview.params?.reason);
  const refused = preview ?? apply;
  return refused ? { refused } : { imported };
}

/** A refusal a user can act on: a translated reason (Korean really Korean), naming the limit it hit. */
export function expectClearRefusal(error: AppError, reasons: string[]): void {
  expect(error.code, error.message).toMatch(/^import-/);
  const reason = String(error.params?.reason);
  expect(reasons, `${reason}: ${error.message}`).toContain(reason);
  expect(ko.has(`decks.reason.${reason}`), `no Korean text for ${reason}`).toBe(true);
  const korean = importErrorText(ko, error);
  const english = importErrorText(en, error);
  expect(korean).toMatch(/[가-힣]/);
  expect(korean).not.toBe(english);
  for (const text of [korean, english]) expect(text, text).not.toMatch(/\{[a-zA-Z]+\}/);
  if (error.code === 'import-too-large') {
    const limit = error.params?.limit ?? error.params?.limitMiB ?? error.params?.seconds;
    expect(limit, `${reason} names no limit`).toBeDefined();
    const shown = typeof limit === 'number' ? limit.toLocaleString('en') : String(limit);
    expect(english, 'the limit is in the message').toContain(shown);
  }
}

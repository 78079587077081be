import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../electron/services';
import { createInMemoryTransport } from '../../../electron/testing/in-memory-transport';
import { createClient } from '../../../src/shared/transport';
import { uploadChunkBytes } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { fixture } from './support';

async function upload(api: ReturnType<typeof createClient>['api'], uploadId: string, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += uploadChunkBytes) {
    const chunk = bytes.subarray(offset, offset + uploadChunkBytes);
    await api['decks.upload']({ uploadId, offset, total: bytes.length, data: Buffer.from(chunk).toString('base64') });
  }
}

describe('deck exchange through the contract (as the UI calls it)', () => {
  it('uploads in chunks, previews, applies with conflict choices, lists and exports', async () => {
    const services = createServices({ dataDir: mkdtempSync(join(tmpdir(), 'pd-contract-')) });
    const { api } = createClient(createInMemoryTransport(services.dispatch));
    await upload(api, 'upload-0001', fixture('anki-update1.apkg'));
    const preview = await api['decks.importPreview']({ uploadId: 'upload-0001', fileName: 'update1.apkg' });
    expect(preview).toMatchObject({ format: 'apkg', deckName: 'Default', added: 1, updated: 0, unchanged: 0, conflicts: 0 });
    const before = await api['decks.list']({});
    expect(before.find((d) => d.name === 'Default')).toBeUndefined(); // the preview wrote nothing
    const result = await api['decks.importApply']({ uploadId: 'upload-0001', fileName: 'update1.apkg', choices: { default: 'keep-mine' } });
    expect(result).toMatchObject({ added: 1 });
    expect((await api['decks.list']({})).find((d) => d.name === 'Default')).toMatchObject({ notes: 1, cards: 1 });

    // a local edit, then the author's update: a conflict the user resolves by taking theirs
    services.db!.prepare("UPDATE notes SET front = 'my hello' WHERE guid = 'cU1%zNUzk1'").run();
    await upload(api, 'upload-0002', fixture('anki-update2.apkg'));
    const conflict = await api['decks.importPreview']({ uploadId: 'upload-0002', fileName: 'update2.apkg' });
    expect(conflict).toMatchObject({ added: 0, updated: 0, conflicts: 1 });
    expect(conflict.conflictNotes[0]).toMatchObject({ localFront: 'my hello', incomingFront: 'goodbye' });
    await api['decks.importApply']({ uploadId: 'upload-0002', fileName: 'update2.apkg', choices: { default: 'keep-mine', takeTheirs: ['cU1%zNUzk1'] } });
    expect(services.db!.prepare("SELECT front FROM notes WHERE guid = 'cU1%zNUzk1'").pluck().get()).toBe('goodbye');

    const exported = await api['decks.export']({ deckName: 'Default', format: 'apkg' });
    expect(exported.fileName).toBe('Default.apkg');
    expect(Buffer.from(exported.data, 'base64').subarray(0, 2).toString()).toBe('PK');

    // CSV with a column-mapping step: the preview carries sample rows; the mapping picks the columns
    const csv = new TextEncoder().encode('id\tquestion\tanswer\ttags\nq1\tWhat is a KV-cache?\tCached keys and values\tkv llm\n');
    await upload(api, 'upload-0003', csv);
    const csvPreview = await api['decks.importPreview']({ uploadId: 'upload-0003', fileName: 'cards.tsv', deckName: 'From CSV', csv: { hasHeader: true, mapping: { front: 1, back: 2, tags: 3, guid: 0 } } });
    expect(csvPreview.csvSample?.[0]).toEqual(['id', 'question', 'answer', 'tags']);
    expect(csvPreview).toMatchObject({ format: 'csv', deckName: 'From CSV', added: 1 });
    await api['decks.importApply']({ uploadId: 'upload-0003', fileName: 'cards.tsv', deckName: 'From CSV', csv: { hasHeader: true, mapping: { front: 1, back: 2, tags: 3, guid: 0 } }, choices: { default: 'keep-mine' } });
    expect(services.db!.prepare("SELECT front, back, tags FROM notes WHERE guid = 'q1'").get()).toEqual({ front: 'What is a KV-cache?', back: 'Cached keys and values', tags: 'kv llm' });

    // arguments are validated before any handler runs; oversized uploads are refused
    await expect(api['decks.upload']({ uploadId: 'x', offset: 0, total: 1, data: '' })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(api['decks.upload']({ uploadId: 'upload-0004', offset: 0, total: 65 * 1024 * 1024, data: '' })).rejects.toBeInstanceOf(AppError);
    services.close();
  });
});

describe('CLI', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'electron/hosts/decks.ts', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'ko_KR.UTF-8' } });

  it('imports, lists with counts, refuses a bad file in Korean without changing anything, exports', () => {
    const data = mkdtempSync(join(tmpdir(), 'pd-cli-'));
    const ok = run(['import', join(fixtures(), 'apkgexport-output.apkg'), '--data', data, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ deckName: 'deck-name', added: 3 });
    const list = () => JSON.parse(run(['list', '--data', data, '--json']).stdout);
    const before = list();
    expect(before).toEqual([{ name: 'deck-name', notes: 3, cards: 3, revlog: 0 }]);
    const bad = join(data, 'bad.csv');
    writeFileSync(bad, 'a,b\nc\n');
    const refused = run(['import', bad, '--data', data]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('2행의 열 수(1)가 첫 행(2)과 다릅니다');
    expect(list()).toEqual(before);
    const out = join(data, 'out.proofdeck');
    expect(run(['export', '--deck', 'deck-name', '--format', 'proofdeck', '--out', out, '--data', data]).status).toBe(0);
  });
});

function fixtures(): string {
  return new URL('../../../../shared/fixtures/anki', import.meta.url).pathname;
}

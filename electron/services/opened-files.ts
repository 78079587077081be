import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { maxImportBytes, uploadChunkBytes, type OpenedFile } from '../../src/shared/contract';
import { AppError, failureOf } from '../../src/shared/errors';
import type { CallContext, Dispatch } from './dispatch';
import { invalid, tooLarge, unsupported } from './decks/types';

// Deck files the operating system hands to ProofDeck (file association, "Open with", the dock
// icon; `npm run web -- --open FILE`). Both hosts go through openDeckFile: the file is checked and
// read here, uploaded through the same `decks.upload` calls the UI makes for a dropped file, and
// waits in the inbox until the UI takes it and shows its import preview. Nothing is imported
// before the user confirms.

/** The extensions the importer reads (see detectFormat in decks/exchange.ts). */
export const openableExtensions = ['.proofdeck', '.apkg', '.colpkg', '.csv', '.tsv', '.txt', '.md', '.markdown'] as const;

/** True when the importer reads files with this name's extension. */
export function isOpenableName(fileName: string): boolean {
  return (openableExtensions as readonly string[]).includes(extname(fileName).toLowerCase());
}

/** At most this many opened files wait for the UI; older ones are dropped (the upload store keeps four). */
const inboxSize = 8;

/** Files opened from the operating system that the UI has not taken yet. */
export class OpenedFiles {
  private entries: OpenedFile[] = [];

  add(entry: OpenedFile): void {
    this.entries.push(entry);
    if (this.entries.length > inboxSize) this.entries.splice(0, this.entries.length - inboxSize);
  }

  /** Everything waiting, oldest first; each entry is handed out once. */
  take(): OpenedFile[] {
    const taken = this.entries;
    this.entries = [];
    return taken;
  }
}

function tooBig(fileName: string, size: number): AppError {
  const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return tooLarge(`${fileName} is ${size} bytes; the limit is ${maxImportBytes} bytes`, {
    reason: 'file-too-large',
    file: fileName,
    sizeMiB: mib(size),
    limitMiB: mib(maxImportBytes),
  });
}

/** The file's bytes, or the AppError that tells the user why it cannot be imported. */
async function readDeckFile(path: string, fileName: string): Promise<Uint8Array> {
  if (!isOpenableName(fileName)) {
    throw unsupported('unknown-format', `'${fileName}' is not a deck format ProofDeck reads (${openableExtensions.join(', ')})`, { file: fileName });
  }
  const unreadable = (why: string) => invalid('unreadable', `cannot read ${path}: ${why}`, { file: fileName });
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw unreadable('not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable((error as NodeJS.ErrnoException).code ?? String(error));
  }
  // Checked before reading: a huge file is refused without loading it into memory.
  if (size > maxImportBytes) throw tooBig(fileName, size);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw unreadable((error as NodeJS.ErrnoException).code ?? String(error));
  }
  // It may have grown between the two looks.
  if (bytes.length > maxImportBytes) throw tooBig(fileName, bytes.length);
  if (bytes.length === 0) throw invalid('empty', `${fileName} is empty`, { file: fileName });
  return bytes;
}

/** Where openDeckFile hands the file: the services' dispatcher and inbox. */
export interface OpenTarget {
  dispatch: Dispatch;
  openedFiles: OpenedFiles;
}

/**
 * Path → upload → event, for every host: reads the file (refusing unknown types, unreadable and
 * oversized files), uploads it chunk by chunk through `decks.upload`, puts it in the inbox and
 * tells the UI with the `menu` event `open-file`. A refused file goes to the inbox with its error
 * (nothing uploaded) so the UI can say why. Never throws.
 */
export async function openDeckFile(path: string, target: OpenTarget, call: CallContext): Promise<OpenedFile> {
  const fileName = basename(path);
  let entry: OpenedFile;
  try {
    const bytes = await readDeckFile(path, fileName);
    const uploadId = `open-${randomUUID()}`;
    for (let offset = 0; offset < bytes.length; offset += uploadChunkBytes) {
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + uploadChunkBytes));
      const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64');
      const reply = await target.dispatch('decks.upload', { uploadId, offset, total: bytes.length, data }, call);
      if (!reply.ok) throw AppError.fromFailure(reply.error);
    }
    entry = { fileName, uploadId, error: null };
  } catch (error) {
    entry = { fileName, uploadId: null, error: failureOf(error) };
  }
  target.openedFiles.add(entry);
  call.emit('menu', { command: 'open-file' });
  return entry;
}

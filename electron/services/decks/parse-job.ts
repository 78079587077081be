import { AppError, type ApiFailure } from '../../../src/shared/errors';
import type { ParsedImport } from './types';
import { readImportFileSized, readMarkdownFolderImports, type ReadOptions } from './exchange';
import { parseCsvTable } from './csv';
import { invalid } from './limits';
import { checkParsedImport, type ImportSize } from './validate';

/**
 * What the parser worker is asked to read: a file's bytes (an upload, a file the CLI read) or a
 * Markdown folder on disk. Plain data: it crosses a thread as a structured clone.
 */
export type ParseRequest =
  | { kind: 'file'; bytes: Uint8Array; options: ReadOptions; csvSample?: boolean }
  | { kind: 'folder'; path: string };

/** The decks a file holds (one, or one per deck of a Markdown folder), each with what it makes. */
export interface ParseResult {
  imports: { parsed: ParsedImport; size: ImportSize }[];
  /** CSV only, when asked: the first rows for the column-mapping step. */
  csvSample?: string[][];
}

export type ParseReply = { ok: true; result: ParseResult } | { ok: false; error: ApiFailure };

/** Runs one request where it is called (the worker, or a test); every refusal comes back as data. */
export function runParseJob(request: ParseRequest): ParseReply {
  try {
    if (request.kind === 'folder') {
      const imports = readMarkdownFolderImports(request.path).map((parsed) => ({ parsed, size: checkParsedImport(parsed) }));
      return { ok: true, result: { imports } };
    }
    const read = readImportFileSized(request.bytes, request.options);
    const result: ParseResult = { imports: [read] };
    if (request.csvSample && read.parsed.format === 'csv') {
      const table = parseCsvTable(request.bytes, { delimiter: request.options.csv?.delimiter, hasHeader: false });
      result.csvSample = table.rows.slice(0, 5).map((row) => row.map((cell) => cell.slice(0, 200)));
    }
    return { ok: true, result };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toFailure() };
    // A parser that throws something unexpected on a file is still the file's refusal, said clearly.
    const detail = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
    return { ok: false, error: invalid('parse-failed', `the file reader stopped: ${detail}`, { detail }).toFailure() };
  }
}

/**
 * The buffers a reply can hand over instead of copying: each media file's, once it owns its
 * buffer outright (a view into a larger one is copied first, so nothing else travels with it).
 */
export function transferables(reply: ParseReply): ArrayBuffer[] {
  if (!reply.ok) return [];
  const buffers: ArrayBuffer[] = [];
  for (const { parsed } of reply.result.imports) {
    for (const file of parsed.media) {
      if (file.data.byteOffset !== 0 || file.data.byteLength !== file.data.buffer.byteLength || !(file.data.buffer instanceof ArrayBuffer)) file.data = file.data.slice();
      if (!buffers.includes(file.data.buffer as ArrayBuffer)) buffers.push(file.data.buffer as ArrayBuffer);
    }
  }
  return buffers;
}

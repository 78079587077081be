import Papa from 'papaparse';
import { createHash } from 'node:crypto';
import type { ExchangeNote, ImportWarning, ParsedImport } from './types';
import { decodeUtf8, warn } from './types';
import { formatBytes, importLimits, invalid, tooLarge, utf8Bytes } from './limits';
import { sanitizeImportedHtml } from './sanitize';
import { htmlToMarkdown } from './html-markdown';
import { looksLikeCloze } from '../../../src/shared/cloze';
import { NoteGate } from './validate';

/** Which column (0-based) holds what. Front and back are required; the rest are optional. */
export interface CsvMapping {
  front: number;
  back: number;
  context?: number | null;
  tags?: number | null;
  guid?: number | null;
}

export interface CsvOptions {
  delimiter?: ',' | '\t' | ';';
  hasHeader?: boolean;
  mapping?: CsvMapping;
  deckName: string;
}

export interface CsvTable {
  delimiter: string;
  header: string[] | null;
  rows: string[][];
}

/** Parses CSV/TSV text into rows; every row must have as many cells as the first (a ragged row is an error, with its line). */
export function parseCsvTable(bytes: Uint8Array, options: Pick<CsvOptions, 'delimiter' | 'hasHeader'>): CsvTable {
  const text = decodeUtf8(bytes, 'the CSV file');
  const parsed = Papa.parse<string[]>(text, { delimiter: options.delimiter ?? '', skipEmptyLines: 'greedy' });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) throw invalid('csv-quotes', `the CSV file has an unclosed quote (row ${(quoteError.row ?? 0) + 1})`, { row: (quoteError.row ?? 0) + 1 });
  const rows = parsed.data;
  if (rows.length === 0) throw invalid('csv-empty', 'the CSV file has no rows');
  if (rows.length > importLimits.notes + 1) throw tooLarge(`the CSV file has ${rows.length} rows`, { count: rows.length, limit: importLimits.notes }, 'too-many-notes');
  const width = rows[0].length;
  if (width > importLimits.fieldsPerNote) throw tooLarge(`the CSV file has ${width} columns`, { note: 'row 1', count: width, limit: importLimits.fieldsPerNote }, 'too-many-fields');
  rows.forEach((row, index) => {
    if (row.length !== width) {
      throw invalid('csv-ragged', `row ${index + 1} has ${row.length} columns but the first row has ${width}`, { row: index + 1, columns: row.length, expected: width });
    }
    for (const cell of row) {
      if (cell.length * 3 <= importLimits.fieldBytes) continue;
      const bytes = utf8Bytes(cell);
      if (bytes > importLimits.fieldBytes) {
        throw tooLarge(`a cell of row ${index + 1} is ${bytes} bytes`, { note: `row ${index + 1}`, size: formatBytes(bytes), limit: formatBytes(importLimits.fieldBytes) }, 'field-too-large');
      }
    }
  });
  const hasHeader = options.hasHeader ?? false;
  return { delimiter: parsed.meta.delimiter, header: hasHeader ? rows[0] : null, rows: hasHeader ? rows.slice(1) : rows };
}

/** Reads a CSV/TSV deck with a column mapping. Cells may hold HTML (as Anki's CSV export does); it is sanitized. */
export function readCsv(bytes: Uint8Array, options: CsvOptions): ParsedImport {
  const table = parseCsvTable(bytes, options);
  const mapping = options.mapping ?? { front: 0, back: 1 };
  const width = table.header?.length ?? table.rows[0]?.length ?? 0;
  for (const [role, column] of Object.entries(mapping)) {
    if (column !== null && column !== undefined && (column < 0 || column >= width)) {
      throw invalid('csv-mapping', `the ${role} column (${column + 1}) does not exist: the file has ${width} columns`, { role, column: column + 1, columns: width });
    }
  }
  const warnings: ImportWarning[] = [];
  const guids = new Set<string>();
  const notes: ExchangeNote[] = [];
  const gate = new NoteGate();
  table.rows.forEach((row, index) => {
    const cell = (column: number | null | undefined) => {
      if (column === null || column === undefined) return '';
      const result = sanitizeImportedHtml(row[column] ?? '');
      if (result.changed) warn(warnings, 'html-sanitized', `row ${index + 1}`);
      return htmlToMarkdown(result.html);
    };
    const front = cell(mapping.front);
    if (!front) return;
    const explicit = mapping.guid !== null && mapping.guid !== undefined ? row[mapping.guid].trim() : '';
    // Without a guid column, the front text names the note: re-importing the same file updates instead of duplicating.
    const guid = explicit || `csv:${createHash('sha1').update(`${options.deckName}\x1f${front}`).digest('hex').slice(0, 20)}`;
    if (guids.has(guid)) throw invalid('duplicate-guid', `two rows share the id '${guid.slice(0, 60)}' (row ${index + 1})`, { guid: guid.slice(0, 60), row: index + 1 });
    guids.add(guid);
    const note: ExchangeNote = {
      guid,
      front,
      back: cell(mapping.back),
      context: cell(mapping.context),
      language: null,
      translations: null,
      tags: mapping.tags !== null && mapping.tags !== undefined ? row[mapping.tags].split(/[\s,]+/).filter(Boolean) : [],
      experimentId: null,
      experimentParams: null,
      fields: null,
      // Anki's text export of a cloze note keeps its deletions: as in Markdown decks, they make it a cloze note.
      ...(looksLikeCloze(front) ? { kind: 'cloze' as const } : {}),
    };
    gate.add(note);
    notes.push(note);
  });
  return { format: 'csv', deckName: options.deckName, description: '', notes, media: [], warnings, hasSchedule: false };
}

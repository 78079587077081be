// Building blocks of hostile deck files: zstd frames written by hand (RLE and raw blocks, with or
// without a declared size), Anki collections of every layout with whatever schema a case needs,
// zips with hand-edited headers. Shared by the hostile suite (hostile.test.ts) and its bench.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeZip } from '../../../../electron/services/decks/zip';

export const MiB = 1024 * 1024;
const encoder = new TextEncoder();
export const text = (value: string): Uint8Array => encoder.encode(value);
export const json = (value: unknown): Uint8Array => text(JSON.stringify(value));

const BLOCK = 128 * 1024;

function frameHeader(contentSize: number | null): number[] {
  // Frame header descriptor: FCS field 8 bytes (flag 3) when declared, none otherwise; not
  // single-segment, so a window descriptor follows (2^20 bytes, enough for 128 KiB blocks).
  const descriptor = contentSize === null ? 0x00 : 0xc0;
  const header = [0x28, 0xb5, 0x2f, 0xfd, descriptor, (20 - 10) << 3];
  if (contentSize !== null) {
    let rest = contentSize;
    for (let i = 0; i < 8; i++) {
      header.push(rest % 256);
      rest = Math.floor(rest / 256);
    }
  }
  return header;
}

function blockHeader(last: boolean, type: 0 | 1, size: number): number[] {
  const value = (last ? 1 : 0) | (type << 1) | (size << 3);
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff];
}

/**
 * A zstd frame that expands to `size` copies of `byte` in RLE blocks (4 bytes per 128 KiB): a
 * few KB that unpack to hundreds of MiB. `declare`: the size written in the header (the real one,
 * a lie, or none at all for a streamed frame).
 */
export function zstdRle(size: number, byte = 0x78, declare: number | null = size): Uint8Array {
  const out = [...frameHeader(declare)];
  let left = size;
  do {
    const chunk = Math.min(BLOCK, left);
    left -= chunk;
    out.push(...blockHeader(left === 0, 1, chunk), byte);
  } while (left > 0);
  return new Uint8Array(out);
}

/** Any bytes as a zstd frame: uniform 128 KiB runs as RLE blocks, the rest as raw blocks. */
export function zstdFrame(data: Uint8Array, declare: number | null = data.length): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array(frameHeader(declare))];
  let total = parts[0].length;
  for (let at = 0; at < data.length || at === 0; at += BLOCK) {
    const chunk = data.subarray(at, Math.min(data.length, at + BLOCK));
    const last = at + BLOCK >= data.length;
    const uniform = chunk.length > 0 && chunk.every((b) => b === chunk[0]);
    const part = uniform ? new Uint8Array([...blockHeader(last, 1, chunk.length), chunk[0]]) : concat([new Uint8Array(blockHeader(last, 0, chunk.length)), chunk]);
    parts.push(part);
    total += part.length;
    if (data.length === 0) break;
  }
  return concat(parts, total);
}

export function concat(parts: Uint8Array[], total = parts.reduce((sum, p) => sum + p.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Minimal protobuf writer: varints and length-delimited fields. */
export function protoVarint(field: number, value: number): number[] {
  return [...varint(field * 8), ...varint(value)];
}
export function protoBytes(field: number, bytes: Uint8Array): number[] {
  return [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
}
function varint(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

export const legacySchema = `
  CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);
  CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer, usn integer, type integer, queue integer, due integer, ivl integer, factor integer, reps integer, lapses integer, left integer, odue integer, odid integer, flags integer, data text);
  CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer, ivl integer, lastIvl integer, factor integer, time integer, type integer);`;
export const notesTable = 'CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);';

const basicModel = { id: 10, name: 'Basic', type: 0, flds: [{ name: 'Front', ord: 0 }, { name: 'Back', ord: 1 }], tmpls: [{ name: 'Card 1', ord: 0, qfmt: '{{Front}}', afmt: '{{Back}}' }] };
const clozeModel = { id: 20, name: 'Cloze', type: 1, flds: [{ name: 'Text', ord: 0 }, { name: 'Back Extra', ord: 1 }], tmpls: [{ name: 'Cloze', ord: 0, qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}' }] };

export interface CollectionOptions {
  /** Replaces the plain notes table (a generated column, a view, a virtual table…). */
  notesSql?: string;
  /** Runs after the tables exist (rows, triggers…). */
  extraSql?: string;
  /** Notes to insert: [guid, model id, fields joined by \x1f]. */
  notes?: [string, number, string][];
  /** Into a file on disk instead of memory (for collections of hundreds of MiB). */
  file?: string;
  pageSize?: number;
}

/** An Anki schema-11 collection's bytes (or its file), built with SQLite as Anki builds one. */
export function ankiCollection(options: CollectionOptions = {}): Uint8Array | string {
  const db = new Database(options.file ?? ':memory:');
  if (options.pageSize) db.pragma(`page_size = ${options.pageSize}`);
  db.exec(legacySchema);
  db.exec(options.notesSql ?? notesTable);
  db.prepare("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, ?, '{}', '{}')").run(JSON.stringify({ '10': basicModel, '20': clozeModel }), JSON.stringify({ '1': { id: 1, name: 'Hostile' } }));
  if (options.notes?.length) {
    const insert = db.prepare("INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) VALUES (?, ?, ?, 0, 0, '', ?, '', 0, 0, '')");
    const card = db.prepare('INSERT INTO cards VALUES (?, ?, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \'\')');
    db.transaction(() => options.notes!.forEach(([guid, mid, fields], i) => {
      insert.run(i + 1, guid, mid, fields);
      card.run(i + 1, i + 1);
    }))();
  }
  if (options.extraSql) {
    // Attack files edit their own schema (writable_schema), which better-sqlite3 refuses by default.
    db.unsafeMode(true);
    db.exec(options.extraSql);
    db.unsafeMode(false);
  }
  if (options.file) {
    db.close();
    return options.file;
  }
  const bytes = new Uint8Array(db.serialize());
  db.close();
  return bytes;
}

/** A zip of these entries, deflated by zlib (fast on hundreds of MiB) unless already compressed. */
export const zip = (entries: Record<string, Uint8Array>): Uint8Array => writeZip(new Map(Object.entries(entries)));

/** A legacy `.apkg` (collection.anki2, JSON media map). */
export function legacyApkg(collection: Uint8Array, media: Record<string, string> = {}, files: Record<string, Uint8Array> = {}): Uint8Array {
  return zip({ 'collection.anki2': collection, media: json(media), ...files });
}

/** Anki's newest layout: meta v3, zstd collection, zstd protobuf media map, zstd media entries named 0, 1, 2… */
export function latestApkg(collectionFrame: Uint8Array, media: { name: string; frame: Uint8Array }[] = []): Uint8Array {
  const entries = media.map(({ name }) => new Uint8Array(protoBytes(1, new Uint8Array(protoBytes(1, text(name))))));
  // zstd frames are stored as they are (writeZip recognises their magic), as Anki stores them.
  const files: Record<string, Uint8Array> = { meta: new Uint8Array(protoVarint(1, 3)), 'collection.anki21b': collectionFrame, media: zstdFrame(concat(entries)) };
  media.forEach(({ frame }, index) => (files[String(index)] = frame));
  return zip(files);
}

/**
 * A collection file on disk turned into a zstd frame page by page, so a collection holding one
 * value of hundreds of MiB (all zeros) becomes a frame of a few KB without ever being in memory
 * whole. The file is removed.
 */
export function zstdOfFile(path: string): Uint8Array {
  const size = statSync(path).size;
  const parts: Uint8Array[] = [new Uint8Array(frameHeader(size))];
  const fd = openSync(path, 'r');
  const buffer = new Uint8Array(BLOCK);
  try {
    for (let at = 0; at < size; at += BLOCK) {
      const read = readSync(fd, buffer, 0, Math.min(BLOCK, size - at), at);
      const chunk = buffer.subarray(0, read);
      const last = at + read >= size;
      // Runs of one byte (zeroblob pages) become RLE blocks; the rest is copied raw.
      let start = 0;
      const pieces: Uint8Array[] = [];
      while (start < chunk.length) {
        let end = start + 1;
        while (end < chunk.length && chunk[end] === chunk[start]) end++;
        if (end - start >= 64) pieces.push(new Uint8Array([...blockHeader(false, 1, end - start), chunk[start]]));
        else {
          let rawEnd = end;
          while (rawEnd < chunk.length) {
            let run = rawEnd + 1;
            while (run < chunk.length && chunk[run] === chunk[rawEnd]) run++;
            if (run - rawEnd >= 64) break;
            rawEnd = run;
          }
          pieces.push(concat([new Uint8Array(blockHeader(false, 0, rawEnd - start)), chunk.slice(start, rawEnd)]));
          end = rawEnd;
        }
        start = end;
      }
      if (last) pieces[pieces.length - 1][0] |= 1;
      parts.push(...pieces);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return concat(parts);
}

/** `length` letters that deflate barely shrinks (a zip-ratio check must not be what refuses them). */
export function noise(length: number, seed = 1): string {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = 97 + ((seed >> 16) % 26);
  }
  return Buffer.from(out).toString('latin1');
}

export const tempFile = (name: string): string => join(mkdtempSync(join(tmpdir(), 'pd-hostile-')), name);

/** Sets every central-directory and local-header CRC-32 of one entry to a wrong value. */
export function breakCrc(zip: Uint8Array, entry: string): Uint8Array {
  const bytes = Buffer.from(zip);
  const name = Buffer.from(entry);
  for (const [signature, crcAt, nameAt] of [[0x02014b50, 16, 46], [0x04034b50, 14, 30]] as const) {
    for (let i = bytes.indexOf(Buffer.from([0x50, 0x4b])); i >= 0 && i < bytes.length - 4; i = bytes.indexOf(Buffer.from([0x50, 0x4b]), i + 1)) {
      if (bytes.readUInt32LE(i) === signature && bytes.subarray(i + nameAt, i + nameAt + name.length).equals(name)) bytes.writeUInt32LE((bytes.readUInt32LE(i + crcAt) ^ 0x5a5a5a5a) >>> 0, i + crcAt);
    }
  }
  return new Uint8Array(bytes);
}

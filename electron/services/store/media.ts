import { createHash } from 'node:crypto';
import type { Sql } from './sql';

/** A media file (an image of an imported note), stored whole. */
export interface MediaFile {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** The SHA-1 the `media` table keys a file's content by (tells an updated file from the same one). */
export function mediaSha1(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The `media` table. */
export function mediaStore(sql: Sql) {
  return {
    byName(name: string): MediaFile | undefined {
      const row = sql.get<{ name: string; mime: string; data: Buffer }>(`SELECT name, mime, data FROM media WHERE name = ?`, name);
      return row && { name: row.name, mime: row.mime, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
    },
    sha1Of(name: string): string | undefined {
      return sql.value<string>(`SELECT sha1 FROM media WHERE name = ?`, name);
    },
    /** Adds a file, or replaces the one of the same name. */
    put(file: MediaFile): void {
      sql.run(
        `INSERT INTO media (name, mime, sha1, data) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET mime = excluded.mime, sha1 = excluded.sha1, data = excluded.data`,
        file.name,
        file.mime,
        mediaSha1(file.data),
        Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
      );
    },
  };
}

export type MediaStore = ReturnType<typeof mediaStore>;

import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

// Whether a database file can be trusted at open without reading every page.
//
// The full page check (quick_check) costs about 0.8 s on a 100,000-card collection (bench:store),
// more than everything else a start does. So ProofDeck seals the file when it closes it cleanly:
// `proofdeck.sqlite-seal` records the file's size, inode and modification and change times
// (nanoseconds). At the next open, a seal that still matches says no one has written the file
// since ProofDeck last closed it whole; anything else (an unclean exit, a sync tool or another
// program writing into it, a copy, a restore from elsewhere) leaves it unvouched, and the full
// check runs before anything is written. The change time cannot be set back by a program, so
// bytes written into the file in any way break the seal. The seal also keeps when the file last
// passed the full check (it runs at least weekly), so that checking never writes into the file: a
// database nobody changes stays byte for byte the same however often it is opened.

export const sealSuffix = '-seal';

interface Stamp {
  size: string;
  ino: string;
  mtimeNs: string;
  ctimeNs: string;
}

interface Seal extends Stamp {
  /** When the file last passed the full check, ms since the epoch. */
  checkedAt: number;
}

function stampOf(file: string): Stamp {
  const stat = statSync(file, { bigint: true });
  return { size: String(stat.size), ino: String(stat.ino), mtimeNs: String(stat.mtimeNs), ctimeNs: String(stat.ctimeNs) };
}

/**
 * Seals a database whose last connection has just closed cleanly (the WAL checkpointed into the
 * file and removed). Does nothing when the WAL still holds writes: the next open must check the file.
 * A seal that cannot be written only costs the next open its full check.
 */
export function sealDatabase(file: string, checkedAt: number): void {
  try {
    if (!existsSync(file) || walHasFrames(file)) return;
    const seal = `${file}${sealSuffix}`;
    writeFileSync(`${seal}.partial`, JSON.stringify({ ...stampOf(file), checkedAt } satisfies Seal));
    renameSync(`${seal}.partial`, seal);
  } catch {
    // Read-only folder or full disk: the database itself is fine, the next start checks it in full.
  }
}

/**
 * When the file last passed the full check, if the seal matches the file exactly and no WAL holds
 * writes made after it; null when the seal does not vouch for the file.
 */
export function sealVouches(file: string): number | null {
  try {
    if (walHasFrames(file)) return null;
    const seal = JSON.parse(readSmall(`${file}${sealSuffix}`)) as Partial<Seal>;
    const now = stampOf(file);
    const matches = seal.size === now.size && seal.ino === now.ino && seal.mtimeNs === now.mtimeNs && seal.ctimeNs === now.ctimeNs;
    return matches && typeof seal.checkedAt === 'number' ? seal.checkedAt : null;
  } catch {
    return null;
  }
}

/** A WAL with writes not yet in the file (an empty one is what a read-only connection leaves). */
function walHasFrames(file: string): boolean {
  return existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0;
}

/** Removes the seal before the file is opened for writing: a session that never closes leaves none. */
export function breakSeal(file: string): void {
  rmSync(`${file}${sealSuffix}`, { force: true });
}

function readSmall(file: string, bytes = 4096): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks the 100-byte SQLite header against the file: the magic string, a valid page size and
 * payload fractions, a file that is a whole number of pages, and the page count SQLite recorded
 * (when it is marked valid). Cheap; a header that fails is a reason for the full check.
 */
export function headerIsSound(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100) return false;
    if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return false;
    const raw = header.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return false;
    if (![1, 2].includes(header[18]) || ![1, 2].includes(header[19])) return false;
    if (header[21] !== 64 || header[22] !== 32 || header[23] !== 32) return false;
    const size = statSync(file).size;
    if (size % pageSize !== 0) return false;
    const pages = header.readUInt32BE(28);
    const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
    return !valid || pages * pageSize === size;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

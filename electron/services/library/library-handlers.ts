import { default_w } from 'ts-fsrs';
import { join } from 'node:path';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { computeStats } from '../stats/stats';
import { readSequences } from '../optimizer/items';
import { optimize } from '../optimizer/optimizer';
import { rescheduleAll } from '../optimizer/reschedule';
import { createBackup, listBackups, resolveBackup, restoreBackup } from '../backup/backup';
import { backupDir } from '../backup/daily';
import { databaseFileName } from '../store/database';
import { registerRetrievability, searchCards } from './search';
import { applyBulk, undoBulk } from './bulk';
import { getNote, saveNote } from './notes';

export type LibraryMethods =
  | 'cards.search'
  | 'cards.bulk'
  | 'cards.undoBulk'
  | 'notes.get'
  | 'notes.save'
  | 'stats.get'
  | 'optimizer.run'
  | 'backups.list'
  | 'backups.create'
  | 'backups.restore';

/** Browse, edit, statistics, the FSRS optimizer and backups (issue 6). */
export function libraryHandlers(ctx: ServiceContext): Pick<Handlers, LibraryMethods> {
  registerRetrievability(ctx.db, () => ctx.settings.get().fsrsWeights ?? default_w);
  const today = () => {
    const s = ctx.settings.get();
    return studyDay(ctx.now(), s.dayStartHour, ctx.timeZone);
  };
  return {
    'cards.search': (args) => {
      const t0 = performance.now();
      const page = searchCards(ctx.db, { ...args, now: ctx.now(), nextDayStart: today().end });
      return { ...page, ms: performance.now() - t0 };
    },
    'cards.bulk': ({ cardIds, change }) => applyBulk(ctx, cardIds, change),
    'cards.undoBulk': ({ undoToken }) => undoBulk(ctx, undoToken),
    'notes.get': ({ noteId }) => getNote(ctx, noteId),
    'notes.save': (input) => saveNote(ctx, input),
    'stats.get': (args) => {
      const stats = computeStats(ctx.db, { ...args, now: ctx.now(), dayStart: today().start });
      // JSON has no Infinity: the last stability bin is open-ended.
      return { ...stats, stability: stats.stability.map((b) => ({ upper: Number.isFinite(b.upper) ? b.upper : null, count: b.count })) };
    },
    'optimizer.run': async ({ reschedule }, call) => {
      const day = today();
      const sequences = readSequences(ctx.db, day.start % 86_400_000);
      const current = ctx.settings.get().fsrsWeights;
      const outcome = await optimize(sequences, current, (fraction) =>
        call.emit('progress', { jobId: 'optimizer', fraction, message: fraction < 1 ? 'fitting' : 'done' }),
      );
      if (outcome.status === 'too-short') return outcome;
      let rescheduled = 0;
      if (outcome.adopted) {
        ctx.settings.set({ fsrsWeights: outcome.adopted });
        if (reschedule) rescheduled = rescheduleAll(ctx);
      }
      return { ...outcome, adopted: outcome.adopted !== null, rescheduled };
    },
    'backups.list': () => {
      const dir = backupDir(ctx);
      return { dir, backups: listBackups(dir).map(({ name, createdAt, bytes, reason }) => ({ name, createdAt, bytes, reason })) };
    },
    'backups.create': async () => {
      const { name, createdAt, bytes, reason } = await createBackup(ctx.db, backupDir(ctx), ctx.now(), 'manual');
      return { name, createdAt, bytes, reason };
    },
    'backups.restore': async ({ name }) => {
      const dir = backupDir(ctx);
      const safety = await restoreBackup(ctx.db, join(ctx.dataDir, databaseFileName), resolveBackup(dir, name), dir, ctx.now());
      return { safetyBackup: safety.name };
    },
  };
}

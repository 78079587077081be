import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { join } from 'node:path';
import { dailyBackup } from './backup';

const HOUR_MS = 3_600_000;

/** The folder backups go to: the user's choice in settings, else `backups/` beside the database. */
export function backupDir(ctx: ServiceContext): string {
  return ctx.settings.get().backupDir ?? join(ctx.dataDir, 'backups');
}

/**
 * The automatic backup of "each day the app is used": checked `delayMs` after a host starts and every hour
 * while it runs (an app left open overnight backs up on the new day too). The timer does not keep
 * the process alive. Returns a function that stops it.
 */
export function scheduleDailyBackups(context: () => ServiceContext | null, log: (e: unknown) => void = console.error, delayMs = 30_000): () => void {
  let running = false;
  const check = async () => {
    const ctx = context();
    if (!ctx || running) return;
    running = true;
    try {
      const now = ctx.now();
      const day = studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone);
      await dailyBackup(ctx.db, backupDir(ctx), now, day.start);
    } catch (e) {
      log(e);
    } finally {
      running = false;
    }
  };
  // The first check waits a little: copying a large collection at start would compete with
  // showing the first card on a machine with few cores.
  const first = setTimeout(() => void check(), delayMs);
  const timer = setInterval(() => void check(), HOUR_MS);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

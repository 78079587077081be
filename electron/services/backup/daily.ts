import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';
import { backupDir } from '../library/library-handlers';
import { dailyBackup } from './backup';

const HOUR_MS = 3_600_000;

/**
 * The automatic backup of "each day the app is used": checked when a host starts and every hour
 * while it runs (an app left open overnight backs up on the new day too). The timer does not keep
 * the process alive. Returns a function that stops it.
 */
export function scheduleDailyBackups(context: () => ServiceContext | null, log: (e: unknown) => void = console.error): () => void {
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
  void check();
  const timer = setInterval(() => void check(), HOUR_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}

import { join } from 'node:path';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { databaseFileName } from '../store/database';
import { createBackup, listBackups, resolveBackup, restoreBackup } from './backup';
import { backupDir } from './daily';

/** Backups: list, take one now, restore one (after a safety backup of the current state). */
export function backupHandlers(ctx: ServiceContext): Pick<Handlers, 'backups.list' | 'backups.create' | 'backups.restore'> {
  return {
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

import { createServices, type ServiceOptions, type Services } from './services/index';
import { syncBuiltinDecks } from './services/decks/builtin';
import { scheduleDailyBackups } from './services/backup/daily';

/**
 * The services as every app host starts them (Electron main, browser host): the database in
 * `dataDir`, the built-in decks of `resourcesDir/decks` loaded on first launch or upgraded by
 * stable id (keeping progress) whenever the database opens, and the automatic daily backup.
 */
export function createHostServices(options: ServiceOptions & { resourcesDir: string }): Services {
  const services = createServices({
    ...options,
    onOpen: (ctx) => {
      syncBuiltinDecks(ctx.db, ctx.resourcesDir);
      options.onOpen?.(ctx);
    },
  });
  const stopBackups = scheduleDailyBackups(() => services.context, options.log);
  const close = services.close;
  return Object.assign(services, {
    close() {
      stopBackups();
      close();
    },
  });
}

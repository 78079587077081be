import { createServices, type ServiceOptions, type Services } from './services/index';
import { syncBuiltinDecks } from './services/decks/builtin';

/**
 * The services as every app host starts them (Electron main, browser host): the database in
 * `dataDir`, and the built-in decks of `resourcesDir/decks` loaded on first launch or upgraded by
 * stable id (keeping progress) whenever the database opens.
 */
export function createHostServices(options: ServiceOptions & { resourcesDir: string }): Services {
  return createServices({
    ...options,
    onOpen: (ctx) => {
      syncBuiltinDecks(ctx.db, ctx.resourcesDir);
      options.onOpen?.(ctx);
    },
  });
}

// The contract's method and event names without its schemas. The UI's start (the client, the
// HTTP transport) and the preload need only the names; importing the schemas would build every
// zod schema before the first screen (measured: tens of milliseconds of the UI's start on these
// machines). index.ts checks at compile time that these lists match the contract exactly.

/** Every method of the contract, `area.name`. */
export const methodNames = [
  'app.info',
  'app.resetDatabase',
  'settings.get',
  'settings.set',
  'review.today',
  'review.next',
  'review.answer',
  'review.suspend',
  'review.bury',
  'decks.list',
  'decks.upload',
  'decks.importPreview',
  'decks.importApply',
  'decks.export',
  'decks.diagrams',
  'decks.notes',
  'decks.media',
  'decks.openedFiles',
  'decks.create',
  'decks.rename',
  'decks.move',
  'decks.delete',
  'experiments.run',
  'experiments.cancel',
  'experiments.history',
  'experiments.get',
  'cards.search',
  'cards.bulk',
  'notes.get',
  'notes.save',
  'stats.get',
  'optimizer.run',
  'backups.list',
  'backups.create',
  'backups.restore',
  'undo.state',
  'undo.undo',
  'undo.redo',
  'cards.info',
  'cards.flag',
  'notes.mark',
  'presets.list',
  'presets.create',
  'presets.update',
  'presets.delete',
  'presets.assign',
  'presets.simulateLoad',
] as const;

/** Every event the host pushes to the UI. */
export const eventNames = ['progress', 'run-finished', 'menu'] as const;

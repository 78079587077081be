import type { z } from 'zod';
import { eventNames, methodNames } from './names';
import { eventSchemas } from './events';
import { reviewContract } from './review';
import { settingsContract } from './settings';
import { deckContract } from './decks';
import { deckOpsContract } from './deck-ops';
import { experimentsContract } from './experiments';
import { libraryContract } from './library';
import { openFileContract } from './open-file';
import { undoContract } from './undo';
import { cardInfoContract } from './card-info';
import { presetsContract } from './presets';

export * from './define';
export * from './issues';
export * from './review';
export * from './settings';
export * from './decks';
export * from './deck-ops';
export * from './experiments';
export * from './library';
export * from './open-file';
export * from './undo';
export * from './card-info';
export * from './presets';
export * from './anki-card';
export * from './events';
export * from './names';

/**
 * The one API contract between the UI and the services, on every transport (Electron IPC, the
 * browser host's HTTP, the in-memory transport of tests). Each area declares its methods in its
 * own file; this object joins them.
 */
export const contract = {
  ...settingsContract,
  ...reviewContract,
  ...deckContract,
  ...deckOpsContract,
  ...experimentsContract,
  ...libraryContract,
  ...openFileContract,
  ...undoContract,
  ...cardInfoContract,
  ...presetsContract,
};

export type Contract = typeof contract;
export type Method = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type Args<M extends Method> = z.input<Contract[M]['args']>;
/** What a handler receives (after validation). */
export type ParsedArgs<M extends Method> = z.output<Contract[M]['args']>;
export type Result<M extends Method> = z.output<Contract[M]['result']>;

/** The API as the UI sees it: one named async function per method. */
export type Api = { [M in Method]: (args: Args<M>) => Promise<Result<M>> };

/** Every method name (from names.ts, which the UI's start imports without the schemas). */
export const methods: readonly Method[] = methodNames;

// names.ts must list exactly the contract's methods and events: a method added to the contract
// but not to names.ts (or the other way round) fails the typecheck here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodNamesMatch: Same<(typeof methodNames)[number], Method> = true;
const eventNamesMatch: Same<(typeof eventNames)[number], keyof typeof eventSchemas> = true;
void methodNamesMatch;
void eventNamesMatch;

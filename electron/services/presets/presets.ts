import { AppError } from '../../../src/shared/errors';
import { defaultPresetId, type Preset, type PresetConfig } from '../../../src/shared/contract/presets';
import type { ServiceContext } from '../context';
import type { StoredPreset } from '../store/presets';
import { undoable } from '../undo/undo';

function withDecks(ctx: ServiceContext, preset: StoredPreset): Preset {
  const deckIds = ctx.store.presets.deckPresets().filter((d) => d.presetId === preset.id).map((d) => d.deckId);
  return { ...preset, deckIds };
}

function requirePreset(ctx: ServiceContext, id: number): StoredPreset {
  const preset = ctx.store.presets.byId(id);
  if (!preset) throw new AppError('not-found', `preset ${id} does not exist`, { id });
  return preset;
}

function requireFreeName(ctx: ServiceContext, name: string, self?: number): void {
  const other = ctx.store.presets.byName(name);
  if (other && other.id !== self) throw new AppError('preset-name-taken', `a preset named ${name} already exists`, { name });
}

/** Every preset, Default first, with the decks that use it. */
export function listPresets(ctx: ServiceContext): Preset[] {
  const decks = ctx.store.presets.deckPresets();
  return ctx.store.presets.all().map((p) => ({ ...p, deckIds: decks.filter((d) => d.presetId === p.id).map((d) => d.deckId) }));
}

/** A new preset with Default's options, or a copy of `from`'s (Anki's Add and Clone). */
export function createPreset(ctx: ServiceContext, name: string, from?: number): Preset {
  const source = requirePreset(ctx, from ?? defaultPresetId);
  requireFreeName(ctx, name);
  const id = undoable(ctx, 'preset-create', () => ctx.store.presets.insert(name, source.config, ctx.now()), { count: 1, name });
  return withDecks(ctx, requirePreset(ctx, id));
}

/** Renames a preset and/or changes some of its options. */
export function updatePreset(ctx: ServiceContext, id: number, change: { name?: string; config?: Partial<PresetConfig> }): Preset {
  const preset = requirePreset(ctx, id);
  if (change.name !== undefined) requireFreeName(ctx, change.name, id);
  const config = change.config ? { ...preset.config, ...change.config } : undefined;
  undoable(ctx, 'preset-update', () => ctx.store.presets.update(id, { name: change.name, config }, ctx.now()), { count: 1, name: change.name ?? preset.name });
  return withDecks(ctx, requirePreset(ctx, id));
}

/** Deletes a preset; its decks go back to Default. */
export function deletePreset(ctx: ServiceContext, id: number): { decks: number } {
  if (id === defaultPresetId) throw new AppError('preset-default', 'the Default preset cannot be deleted');
  const preset = withDecks(ctx, requirePreset(ctx, id));
  undoable(ctx, 'preset-delete', () => ctx.store.presets.delete(id), { count: preset.deckIds.length, name: preset.name });
  return { decks: preset.deckIds.length };
}

/** Gives a deck a preset. */
export function assignPreset(ctx: ServiceContext, deckId: number, presetId: number): void {
  const preset = requirePreset(ctx, presetId);
  const deck = ctx.store.decks.byId(deckId);
  if (!deck) throw new AppError('not-found', `deck ${deckId} does not exist`, { deckId });
  undoable(ctx, 'preset-assign', () => ctx.store.presets.assign(deckId, presetId), { count: 1, name: `${deck.name} → ${preset.name}` });
}

import { useCallback, useEffect, useState } from 'react';
import type { DeckSummary, Preset } from '../../shared/contract';
import { useApp } from '../AppContext';
import './presets.css';

/** A preset's name as shown: Default's in the UI's language while the user has not renamed it. */
export function presetLabel(preset: Pick<Preset, 'id' | 'name'>, t: ReturnType<typeof useApp>['t']): string {
  return preset.id === 1 && preset.name === 'Default' ? t('presets.defaultName') : preset.name;
}

/** Every preset, read again whenever an undo or redo may have changed them. */
export function usePresetList(): { presets: Preset[]; reload(): void } {
  const { api, showError, undo } = useApp();
  const [presets, setPresets] = useState<Preset[]>([]);
  const reload = useCallback(() => {
    api['presets.list']({}).then(setPresets, showError);
  }, [api, showError]);
  useEffect(reload, [reload]);
  useEffect(() => undo.onApplied(reload), [undo, reload]);
  return { presets, reload };
}

/** A deck's options preset, a native select (Tab reaches it, arrows choose): assigning is an operation of the undo history. */
export function PresetPicker({ deck, presets, onAssigned }: { deck: DeckSummary; presets: Preset[]; onAssigned(): void }) {
  const { api, t, notify, showError } = useApp();
  if (!presets.length) return null;
  const assign = async (presetId: number) => {
    try {
      await api['presets.assign']({ deckId: deck.id, presetId });
      const preset = presets.find((p) => p.id === presetId);
      notify({ text: t('presets.assigned', { deck: deck.name, preset: preset ? presetLabel(preset, t) : '' }) });
      onAssigned();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <select className="preset-picker" value={deck.presetId} onChange={(e) => void assign(Number(e.target.value))} aria-label={t('presets.picker', { deck: deck.name })} data-testid="deck-preset">
      {presets.map((p) => (
        <option key={p.id} value={p.id}>
          {presetLabel(p, t)}
        </option>
      ))}
    </select>
  );
}

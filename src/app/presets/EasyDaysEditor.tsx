import type { EasyDay } from '../../shared/contract';
import { useApp } from '../AppContext';

const levels: { value: EasyDay; key: 'presets.easy.normal' | 'presets.easy.reduced' | 'presets.easy.minimum' }[] = [
  { value: 1, key: 'presets.easy.normal' },
  { value: 0.5, key: 'presets.easy.reduced' },
  { value: 0, key: 'presets.easy.minimum' },
];
const dayKeys = ['presets.day.0', 'presets.day.1', 'presets.day.2', 'presets.day.3', 'presets.day.4', 'presets.day.5', 'presets.day.6'] as const;

/** Anki's easy days: for each weekday, Monday first, normal, reduced or minimum. */
export function EasyDaysEditor({ value, onChange }: { value: EasyDay[]; onChange(next: EasyDay[]): void }) {
  const { t } = useApp();
  return (
    <fieldset className="easy-days" data-testid="easy-days">
      <legend>{t('presets.easyDays')}</legend>
      <p className="muted">{t('presets.easyDaysHint')}</p>
      <div className="easy-days-grid">
        {dayKeys.map((key, day) => (
          <label key={key} className="easy-day">
            <span>{t(key)}</span>
            <select
              value={String(value[day])}
              onChange={(e) => onChange(value.map((v, i) => (i === day ? (Number(e.target.value) as EasyDay) : v)))}
              data-testid={`easy-day-${day}`}
            >
              {levels.map((level) => (
                <option key={level.value} value={String(level.value)}>
                  {t(level.key)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

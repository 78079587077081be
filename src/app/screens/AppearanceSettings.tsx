import { useId } from 'react';
import type { Locale, Settings, Theme } from '../../shared/contract';
import { resolveLocale } from '../../shared/i18n';
import { useApp } from '../AppContext';

const themes: Theme[] = ['system', 'light', 'dark'];

/** Language (Korean / English / follow the system) and theme (light / dark / system). */
export function AppearanceSettings() {
  const { t, settings, updateSettings, showError } = useApp();
  const languageId = useId();
  const themeName = useId();
  const systemLanguage = resolveLocale(null, navigator.languages);

  // No "saved" notice: the new language or theme showing at once says it.
  const save = (patch: Partial<Settings>) => updateSettings(patch).catch(showError);

  return (
    <div className="settings-grid">
      <label htmlFor={languageId}>{t('settings.language')}</label>
      <select
        id={languageId}
        data-testid="settings-language"
        value={settings.locale ?? 'system'}
        onChange={(event) => void save({ locale: event.target.value === 'system' ? null : (event.target.value as Locale) })}
      >
        <option value="system">{t('settings.language.system', { language: t(`settings.language.${systemLanguage}`) })}</option>
        <option value="ko">{t('settings.language.ko')}</option>
        <option value="en">{t('settings.language.en')}</option>
      </select>

      <span id={`${themeName}-label`}>{t('settings.theme')}</span>
      <div className="segmented" role="radiogroup" aria-labelledby={`${themeName}-label`} data-testid="settings-theme">
        {themes.map((theme) => (
          <label key={theme} className="segment">
            <input type="radio" name={themeName} value={theme} checked={settings.theme === theme} onChange={() => void save({ theme })} />
            <span>{t(`settings.theme.${theme}`)}</span>
          </label>
        ))}
      </div>
    </div>
  );
}

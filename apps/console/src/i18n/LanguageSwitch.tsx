import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '.';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <span className="lang">
      <label htmlFor={id} className="sr-only">
        {t('app.language')}
      </label>
      <select id={id} value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}

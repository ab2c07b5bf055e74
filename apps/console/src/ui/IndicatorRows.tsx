import { useTranslation } from 'react-i18next';
import { INDICATOR_TYPES } from '../api/vocabulary';
import { Field } from './common';

export type IndicatorRow = { type: (typeof INDICATOR_TYPES)[number]; value: string };

/** Indicator entry, one row each, with the API's problem for `indicators.N.value` under its field. */
export function IndicatorRows({ rows, onChange, problems }: { rows: IndicatorRow[]; onChange: (rows: IndicatorRow[]) => void; problems: Record<string, string> }) {
  const { t } = useTranslation();
  const update = (n: number, change: Partial<IndicatorRow>) => onChange(rows.map((r, i) => (i === n ? { ...r, ...change } : r)));
  return (
    <fieldset>
      <legend>{t('submit.indicators')}</legend>
      {problems.indicators && <p className="field-error">{problems.indicators}</p>}
      {rows.map((row, n) => (
        <div className="indicator-row" key={n} data-indicator={n}>
          <Field label={t('submit.indicatorType', { n: n + 1 })} error={problems[`indicators.${n}.type`]}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={row.type} onChange={(e) => update(n, { type: e.target.value as IndicatorRow['type'] })}>
                {INDICATOR_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`indicator.${type}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('submit.indicatorValue', { n: n + 1 })} error={problems[`indicators.${n}.value`]}>
            {(id, d) => <input id={id} aria-describedby={d} value={row.value} onChange={(e) => update(n, { value: e.target.value })} spellCheck={false} />}
          </Field>
          <button type="button" className="link" onClick={() => onChange(rows.filter((_, i) => i !== n))} aria-label={t('submit.removeIndicator', { n: n + 1 })}>
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { type: 'ipv4', value: '' }])}>
        {t('submit.addIndicator')}
      </button>
    </fieldset>
  );
}

/** The rows worth sending: blank values are left out. */
export function filledIndicators(rows: IndicatorRow[]): IndicatorRow[] {
  return rows.filter((r) => r.value.trim() !== '').map((r) => ({ type: r.type, value: r.value.trim() }));
}

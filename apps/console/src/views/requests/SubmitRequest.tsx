import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { DeconflictionView } from '../../api/models';
import { CATEGORIES, MODES, PRIORITIES } from '../../api/vocabulary';
import { filledIndicators, IndicatorRows, type IndicatorRow } from '../../ui/IndicatorRows';
import { ErrorMessage, Field } from '../../ui/common';
import { fromLocalInput } from '../../ui/format';

/** A member's new request: indicators entered row by row, the API's problems next to each field. */
export function SubmitRequest() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState({ category: CATEGORIES[0], mode: MODES[0], priority: 'P3' as (typeof PRIORITIES)[number], title: '', description: '' });
  const [onSite, setOnSite] = useState({ plannedStart: '', plannedEnd: '', team: '' });
  const [indicators, setIndicators] = useState<IndicatorRow[]>([{ type: 'domain', value: '' }]);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  // One key per form: a retried submission returns the same request instead of a second one.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const problems = error?.fieldErrors() ?? {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await unwrap<{ id: string; deconfliction: DeconflictionView }>(
        api.POST('/api/v1/support-requests', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            ...form,
            indicators: filledIndicators(indicators),
            ...(form.mode === 'on_site'
              ? {
                  onSite: {
                    plannedStart: fromLocalInput(onSite.plannedStart),
                    plannedEnd: fromLocalInput(onSite.plannedEnd),
                    team: onSite.team ? onSite.team.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
                  },
                }
              : {}),
          },
        }),
      );
      void navigate(`/requests/${created.id}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const setField = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const choice = (key: 'category' | 'mode' | 'priority', options: readonly string[], labelOf: (o: string) => string) => (
    <Field label={t(`requests.${key}`)} error={problems[key]}>
      {(id, describedBy) => (
        <select id={id} aria-describedby={describedBy} value={form[key]} onChange={setField(key)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {labelOf(o)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <>
      <h1>{t('submit.title')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <div className="grid3">
          {choice('category', CATEGORIES, (o) => t(`category.${o}` as 'category.botnet'))}
          {choice('mode', MODES, (o) => t(`mode.${o}` as 'mode.remote'))}
          {choice('priority', PRIORITIES, (o) => t(`priority.${o}` as 'priority.P1'))}
        </div>
        <Field label={t('submit.titleField')} error={problems.title}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.title} onChange={setField('title')} />}
        </Field>
        <Field label={t('submit.description')} error={problems.description}>
          {(id, d) => <textarea id={id} aria-describedby={d} value={form.description} onChange={setField('description')} rows={5} />}
        </Field>
        {form.mode === 'on_site' && (
          <fieldset>
            <legend>{t('submit.onSite')}</legend>
            <div className="grid3">
              <Field label={t('submit.plannedStart')} error={problems['onSite.plannedStart']}>
                {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={onSite.plannedStart} onChange={(e) => setOnSite((s) => ({ ...s, plannedStart: e.target.value }))} />}
              </Field>
              <Field label={t('submit.plannedEnd')} error={problems['onSite.plannedEnd']}>
                {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={onSite.plannedEnd} onChange={(e) => setOnSite((s) => ({ ...s, plannedEnd: e.target.value }))} />}
              </Field>
              <Field label={t('submit.team')} error={problems['onSite.team']}>
                {(id, d) => <input id={id} aria-describedby={d} value={onSite.team} onChange={(e) => setOnSite((s) => ({ ...s, team: e.target.value }))} />}
              </Field>
            </div>
          </fieldset>
        )}
        <IndicatorRows rows={indicators} onChange={setIndicators} problems={problems} />
        {error && <ErrorMessage error={error} />}
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {t('submit.send')}
          </button>
        </div>
      </form>
    </>
  );
}

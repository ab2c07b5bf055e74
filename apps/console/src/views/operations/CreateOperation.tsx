import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { CountryGroup, Page } from '../../api/models';
import { CATEGORIES, REGIONS } from '../../api/vocabulary';
import { ErrorMessage, Field } from '../../ui/common';
import { fromLocalInput, toLocalInput } from '../../ui/format';

const HOUR = 3_600_000;
const INSTANTS = ['readinessDeadline', 'actionStart', 'actionEnd', 'debriefDeadline'] as const;

/** Plan an operation from countries, named groups and whole regions, with its four instants. */
export function CreateOperation() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [groups, setGroups] = useState<CountryGroup[]>([]);
  const [form, setForm] = useState(() => {
    const now = Date.now();
    return {
      name: '',
      objective: '',
      categories: [] as string[],
      countries: '',
      groups: [] as string[],
      regions: [] as string[],
      exercise: false,
      readinessDeadline: toLocalInput(new Date(now + 2 * HOUR)),
      actionStart: toLocalInput(new Date(now + 24 * HOUR)),
      actionEnd: toLocalInput(new Date(now + 72 * HOUR)),
      debriefDeadline: toLocalInput(new Date(now + 14 * 24 * HOUR)),
    };
  });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const problems = error?.fieldErrors() ?? {};

  useEffect(() => {
    unwrap<Page<CountryGroup>>(api.GET('/api/v1/country-groups'))
      .then((p) => setGroups(p.items))
      .catch((e: ApiError) => setError(e));
  }, []);

  const toggle = (key: 'categories' | 'groups' | 'regions', value: string) =>
    setForm((f) => ({ ...f, [key]: f[key].includes(value) ? f[key].filter((v) => v !== value) : [...f[key], value] }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const countries = form.countries.split(/[\s,]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
      const created = await unwrap<{ id: string }>(
        api.POST('/api/v1/operations', {
          body: {
            name: form.name,
            objective: form.objective,
            categories: form.categories as never,
            ...(countries.length ? { countries } : {}),
            ...(form.groups.length ? { groups: form.groups } : {}),
            ...(form.regions.length ? { regions: form.regions as never } : {}),
            exercise: form.exercise,
            readinessDeadline: fromLocalInput(form.readinessDeadline) ?? '',
            actionStart: fromLocalInput(form.actionStart) ?? '',
            actionEnd: fromLocalInput(form.actionEnd) ?? '',
            debriefDeadline: fromLocalInput(form.debriefDeadline) ?? '',
          },
        }),
      );
      void navigate(`/operations/${created.id}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const checks = (key: 'categories' | 'groups' | 'regions', legend: string, options: Array<{ value: string; label: string }>) => (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input type="checkbox" checked={form[key].includes(o.value)} onChange={() => toggle(key, o.value)} /> {o.label}
        </label>
      ))}
      {problems[key] && <small className="field-error">{problems[key]}</small>}
    </fieldset>
  );

  return (
    <>
      <h1>{t('operations.create')}</h1>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('operations.name')} error={problems.name}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />}
        </Field>
        <Field label={t('operations.objective')} error={problems.objective}>
          {(id, d) => <textarea id={id} aria-describedby={d} rows={3} value={form.objective} onChange={(e) => setForm((f) => ({ ...f, objective: e.target.value }))} />}
        </Field>
        {checks('categories', t('requests.category'), CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) })))}
        <h2>{t('operations.participants')}</h2>
        {checks('groups', t('operations.groups'), groups.map((g) => ({ value: g.code, label: `${g.name} (${g.members.length})` })))}
        {checks('regions', t('operations.regions'), REGIONS.map((r) => ({ value: r, label: t(`region.${r}`) })))}
        <Field label={t('operations.countryCodes')} error={problems.countries} hint={t('operations.countryCodesHint')}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.countries} onChange={(e) => setForm((f) => ({ ...f, countries: e.target.value }))} />}
        </Field>
        <fieldset>
          <legend>{t('operations.instants')}</legend>
          <p className="hint">{t('operations.instantsHint', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}</p>
          <div className="grid4">
            {INSTANTS.map((k) => (
              <Field key={k} label={t(`instant.${k}`)} error={problems[k]}>
                {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={form[k]} onChange={(e) => setForm((f) => ({ ...f, [k]: e.target.value }))} />}
              </Field>
            ))}
          </div>
        </fieldset>
        <label>
          <input type="checkbox" checked={form.exercise} onChange={(e) => setForm((f) => ({ ...f, exercise: e.target.checked }))} /> {t('operations.exerciseMode')}
        </label>
        {error && <ErrorMessage error={error} />}
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {t('operations.plan')}
          </button>
        </div>
      </form>
    </>
  );
}

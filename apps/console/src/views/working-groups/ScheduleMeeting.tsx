import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import type { Country, Region } from '../../api/models';
import { ErrorMessage, Field } from '../../ui/common';
import { fromLocalInput, toLocalInput } from '../../ui/format';

const DAY = 86_400_000;

/**
 * Defaults a coordinator rarely changes: the meeting in the chosen year (a month ahead at the
 * earliest, the API wants it in the future and in that UTC year), answers due two weeks before.
 */
function defaultDates(year: number): { meetingDate: string; attendanceDeadline: string } {
  const earliest = Date.now() + 30 * DAY;
  const march = new Date(year, 2, 10, 9, 0);
  const meeting = march.getTime() > earliest ? march : new Date(earliest);
  const deadline = new Date(Math.max(meeting.getTime() - 14 * DAY, (Date.now() + meeting.getTime()) / 2));
  return { meetingDate: toLocalInput(meeting), attendanceDeadline: toLocalInput(deadline) };
}

/** The annual meeting's scheduling form; reminder and escalation keep the API's defaults. */
export function ScheduleMeeting({
  region,
  year,
  countries,
  onScheduled,
}: {
  region: Region;
  year: number;
  countries: Country[];
  onScheduled: () => void;
}) {
  const { t } = useTranslation();
  const regional = countries.filter((c) => c.region === region).map((c) => c.iso);
  const [form, setForm] = useState(() => ({
    ...defaultDates(year),
    agenda: [t('workingGroups.agendaTrends'), t('workingGroups.agendaPlan')],
  }));
  // Participants default to the region; countries from elsewhere can be added to the list.
  const [listed, setListed] = useState<string[]>(regional);
  const [chosen, setChosen] = useState<string[]>(regional);
  const [toAdd, setToAdd] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const problems = error?.fieldErrors() ?? {};
  const nameOf = (iso: string) => countries.find((c) => c.iso === iso)?.name ?? iso;
  const setAgenda = (agenda: string[]) => setForm((f) => ({ ...f, agenda }));
  const toggle = (iso: string) =>
    setChosen((c) => (c.includes(iso) ? c.filter((x) => x !== iso) : [...c, iso]));
  const add = () => {
    if (!toAdd) return;
    setListed((l) => (l.includes(toAdd) ? l : [...l, toAdd]));
    setChosen((c) => (c.includes(toAdd) ? c : [...c, toAdd]));
    setToAdd('');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        api.POST('/api/v1/working-groups', {
          body: {
            region,
            year,
            meetingDate: fromLocalInput(form.meetingDate) ?? '',
            attendanceDeadline: fromLocalInput(form.attendanceDeadline) ?? '',
            agenda: form.agenda.map((a) => a.trim()).filter(Boolean),
            countries: chosen,
          },
        }),
      );
      onScheduled();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('workingGroups.schedule', { region: t(`region.${region}`), year })}</h2>
      <p className="hint">
        {t('workingGroups.scheduleHint', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
      </p>
      <div className="grid4">
        {/* `year` follows from the meeting date: its problem shows there. */}
        <Field
          label={t('workingGroups.meetingDate')}
          error={[problems.meetingDate, problems.year].filter(Boolean).join('; ') || undefined}
        >
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="datetime-local"
              value={form.meetingDate}
              onChange={(e) => setForm((f) => ({ ...f, meetingDate: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('workingGroups.attendanceDeadline')} error={problems.attendanceDeadline}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="datetime-local"
              value={form.attendanceDeadline}
              onChange={(e) => setForm((f) => ({ ...f, attendanceDeadline: e.target.value }))}
            />
          )}
        </Field>
      </div>
      <fieldset>
        <legend>{t('workingGroups.agenda')}</legend>
        {problems.agenda && <p className="field-error">{problems.agenda}</p>}
        {form.agenda.map((item, n) => (
          <div className="indicator-row" key={n}>
            <Field label={t('workingGroups.agendaItem', { n: n + 1 })} error={problems[`agenda.${n}`]}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  value={item}
                  onChange={(e) => setAgenda(form.agenda.map((a, i) => (i === n ? e.target.value : a)))}
                />
              )}
            </Field>
            <button
              type="button"
              className="link"
              onClick={() => setAgenda(form.agenda.filter((_, i) => i !== n))}
              aria-label={t('workingGroups.removeAgendaItem', { n: n + 1 })}
            >
              {t('common.remove')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setAgenda([...form.agenda, ''])}>
          {t('workingGroups.addAgendaItem')}
        </button>
      </fieldset>
      <fieldset className="checks" data-testid="schedule-countries">
        <legend>{t('workingGroups.participants', { count: chosen.length })}</legend>
        {problems.countries && <p className="field-error">{problems.countries}</p>}
        <p>
          <button type="button" className="link" onClick={() => setChosen(listed)}>
            {t('workingGroups.selectAll')}
          </button>
          <button type="button" className="link" onClick={() => setChosen([])}>
            {t('workingGroups.selectNone')}
          </button>
        </p>
        {listed.map((iso) => (
          <label key={iso}>
            <input type="checkbox" checked={chosen.includes(iso)} onChange={() => toggle(iso)} />{' '}
            {nameOf(iso)} ({iso})
          </label>
        ))}
        <div className="row">
          <Field label={t('workingGroups.addCountry')}>
            {(id) => (
              <select id={id} value={toAdd} onChange={(e) => setToAdd(e.target.value)}>
                <option value="">—</option>
                {countries
                  .filter((c) => !listed.includes(c.iso))
                  .map((c) => (
                    <option key={c.iso} value={c.iso}>
                      {c.name} ({c.iso})
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <button type="button" onClick={add} disabled={!toAdd}>
            {t('workingGroups.add')}
          </button>
        </div>
      </fieldset>
      {error && <ErrorMessage error={error} />}
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {t('workingGroups.scheduleSubmit')}
        </button>
      </div>
    </form>
  );
}

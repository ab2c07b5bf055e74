import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { components } from '../../../generated/api';
import { api, ApiError, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Country, Page, Region } from '../../api/models';
import { CATEGORIES, ITEM_KINDS, ITEM_STATUSES, REGIONS } from '../../api/vocabulary';
import { useClaims } from '../../auth/session';
import { Badge, Empty, ErrorMessage, Field, Instant, Loading } from '../../ui/common';
import { fromLocalInput, toLocalInput } from '../../ui/format';
import { ScheduleMeeting } from './ScheduleMeeting';

type Meeting = components['schemas']['WorkingGroupViewDto'];
type Plan = components['schemas']['PlanViewDto'];
type Item = components['schemas']['ActionItemViewDto'];

/**
 * A region's working group for one year: the meeting and its attendance, then the action plan.
 * Members see the plan and work on the items their country owns; coordinators record items and
 * turn an operation item into a planned operation.
 */
export function WorkingGroupPage() {
  const { t } = useTranslation();
  const claims = useClaims();
  const countries = useLoad(() => unwrap<Page<Country>>(api.GET('/api/v1/countries')), []);
  const ownRegion = (claims.region as Region | undefined) ?? countries.data?.items.find((c) => c.iso === claims.country)?.region;
  // Region, year and the open item live in the address: links and the back button land on them.
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string | undefined) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value === undefined) next.delete(key);
      else next.set(key, value);
      if (key !== 'item') next.delete('item');
      return next;
    });
  const region = (REGIONS as readonly string[]).includes(params.get('region') ?? '') ? (params.get('region') as Region) : (ownRegion ?? 'EURASIA');
  const year = Number(params.get('year')) || new Date().getUTCFullYear();
  const selected = Number(params.get('item')) || undefined;
  const setChosen = (r: Region) => set('region', r);
  const setYear = (y: number) => set('year', String(y));
  const setSelected = (n: number) => set('item', String(n));
  const path = { region, year };
  const meeting = useLoad(() => unwrap<Meeting>(api.GET('/api/v1/working-groups/{region}/{year}', { params: { path } })), [region, year], 5000);
  const plan = useLoad(() => unwrap<Plan>(api.GET('/api/v1/working-groups/{region}/{year}/plan', { params: { path, query: { limit: 200 } } })), [region, year], 5000);
  const manages = claims.role === 'coordinator' || claims.role === 'supervisor';
  // As the API allows: a supervisor, a global coordinator or the region's own.
  // A past year's meeting cannot be scheduled any more.
  const schedules = year >= new Date().getUTCFullYear() && (claims.role === 'supervisor' || (claims.role === 'coordinator' && (!claims.region || claims.region === region)));

  return (
    <>
      <h1>{t('workingGroups.title')}</h1>
      <div className="row">
        <Field label={t('workingGroups.region')}>
          {(id) => (
            <select id={id} value={region} onChange={(e) => setChosen(e.target.value as Region)}>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`region.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('workingGroups.year')}>
          {(id) => <input id={id} type="number" min={2000} max={9999} value={year} onChange={(e) => setYear(Number(e.target.value) || year)} />}
        </Field>
      </div>
      {meeting.error?.status === 404 ? (
        <>
          <Empty>{t('workingGroups.noMeeting', { region: t(`region.${region}`), year })}</Empty>
          {schedules && countries.data && <ScheduleMeeting key={`${region}/${year}`} region={region} year={year} countries={countries.data.items} onScheduled={() => { meeting.reload(); plan.reload(); }} />}
        </>
      ) : meeting.error ? (
        <ErrorMessage error={meeting.error} onRetry={meeting.reload} />
      ) : !meeting.data ? (
        <Loading />
      ) : (
        <>
          <MeetingSection meeting={meeting.data} manages={manages} onChange={meeting.reload} />
          <section aria-labelledby="plan-title">
            <h2 id="plan-title">{t('workingGroups.plan')}</h2>
            {plan.error && <ErrorMessage error={plan.error} onRetry={plan.reload} />}
            {plan.data && <PlanTable plan={plan.data} own={claims.country} selected={selected} onSelect={setSelected} />}
            {selected !== undefined && (
              <ItemPanel key={selected} region={region} year={year} n={selected} onChange={plan.reload} />
            )}
            {manages && meeting.data.status === 'held' && <NewItem region={region} year={year} countries={meeting.data.countries.map((c) => c.iso)} onCreated={(n) => { plan.reload(); setSelected(n); }} />}
            {manages && meeting.data.status !== 'held' && <p className="hint">{t('workingGroups.planAfterMeeting')}</p>}
          </section>
        </>
      )}
    </>
  );
}

function MeetingSection({ meeting, manages, onChange }: { meeting: Meeting; manages: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const [error, setError] = useState<ApiError>();
  const path = { region: meeting.region as Region, year: meeting.year };
  const act = async (call: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await call();
      onChange();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const hold = () => act(() => unwrap(api.POST('/api/v1/working-groups/{region}/{year}/held', { params: { path } })));
  const answer = (iso: string, attending: boolean) =>
    act(() => unwrap(api.POST('/api/v1/working-groups/{region}/{year}/countries/{iso}/attendance', { params: { path: { ...path, iso } }, body: { attending } })));
  return (
    <section aria-labelledby="meeting-title">
      <div className="row">
        <h2 id="meeting-title">{t('workingGroups.meeting')}</h2>
        <Badge kind={meeting.status}>
          <span data-testid="meeting-status">{t(`workingGroups.meetingStatus.${meeting.status}`)}</span>
        </Badge>
        <span className="spacer" />
        {manages && meeting.status === 'scheduled' && Date.now() >= Date.parse(meeting.attendanceDeadline) && (
          <button type="button" className="primary" onClick={() => void hold()}>
            {t('workingGroups.markHeld')}
          </button>
        )}
      </div>
      <dl className="facts">
        <div className="fact">
          <dt>{t('workingGroups.meetingDate')}</dt>
          <dd>
            <Instant iso={meeting.meetingDate} utc />
          </dd>
        </div>
        <div className="fact">
          <dt>{t('workingGroups.attendanceDeadline')}</dt>
          <dd>
            <Instant iso={meeting.attendanceDeadline} utc />
          </dd>
        </div>
        <div className="fact">
          <dt>{t('workingGroups.attending')}</dt>
          <dd>
            {meeting.totals.attending} / {meeting.totals.invited}
          </dd>
        </div>
      </dl>
      <ol>
        {meeting.agenda.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ol>
      {error && <ErrorMessage error={error} />}
      <table className="data">
        <caption>{t('workingGroups.attendance')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workingGroups.country')}</th>
            <th scope="col">{t('workingGroups.answer')}</th>
            <th scope="col">{t('workingGroups.delegate')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {meeting.countries.map((c) => (
            <tr key={c.iso}>
              <td>{c.iso}</td>
              <td>
                <Badge kind={c.status}>{t(`workingGroups.attendanceStatus.${c.status}`)}</Badge>
              </td>
              <td>{c.delegate ?? '—'}</td>
              <td>
                {meeting.status === 'scheduled' && (manages || claims.country === c.iso) && (
                  <>
                    <button type="button" onClick={() => void answer(c.iso, true)}>
                      {t('workingGroups.confirm')}
                    </button>{' '}
                    <button type="button" onClick={() => void answer(c.iso, false)}>
                      {t('workingGroups.decline')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PlanTable({ plan, own, selected, onSelect }: { plan: Plan; own?: string; selected?: number; onSelect: (n: number) => void }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const { totals } = plan;
  return (
    <>
      <dl className="facts" data-testid="plan-totals">
        <div className="fact">
          <dt>{t('workingGroups.items')}</dt>
          <dd>{totals.items}</dd>
        </div>
        {ITEM_STATUSES.map((s) => (
          <div key={s} className="fact">
            <dt>{t(`workingGroups.itemStatus.${s}`)}</dt>
            <dd>{totals.byStatus[s] ?? 0}</dd>
          </div>
        ))}
        <div className="fact">
          <dt>{t('workingGroups.overdue')}</dt>
          <dd>{totals.overdue}</dd>
        </div>
      </dl>
      {plan.items.length === 0 ? (
        <Empty>{t('workingGroups.noItems')}</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('workingGroups.itemTitle')}</th>
              <th scope="col">{t('workingGroups.kind')}</th>
              <th scope="col">{t('workingGroups.owner')}</th>
              <th scope="col">{t('workingGroups.dueDate')}</th>
              <th scope="col">{t('workingGroups.status')}</th>
              <th scope="col">{t('workingGroups.operation')}</th>
            </tr>
          </thead>
          <tbody>
            {[...plan.items].sort((a, b) => a.n - b.n).map((i) => {
              const readable = claims.role !== 'member' || i.ownerCountry === own;
              return (
                <tr key={i.id} aria-selected={selected === i.n}>
                  <td>{i.n}</td>
                  <td>
                    {readable ? (
                      <button type="button" className="link" onClick={() => onSelect(i.n)}>
                        {i.title}
                      </button>
                    ) : (
                      i.title
                    )}
                  </td>
                  <td>{t(`workingGroups.itemKind.${i.kind}`)}</td>
                  <td>{i.ownerCountry}</td>
                  <td>
                    <Instant iso={i.dueDate} />
                  </td>
                  <td>
                    <Badge kind={i.status}>{t(`workingGroups.itemStatus.${i.status}`)}</Badge> {i.overdue && <Badge kind="overdue">{t('workingGroups.overdue')}</Badge>}
                  </td>
                  <td>{i.operationId ? <Link to={`/operations/${i.operationId}`}>{i.operationId}</Link> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

/** One item: its notes and course, and what the caller may do with it. */
function ItemPanel({ region, year, n, onChange }: { region: Region; year: number; n: number; onChange: () => void }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const path = { region, year, n };
  const item = useLoad(() => unwrap<Item>(api.GET('/api/v1/working-groups/{region}/{year}/plan/items/{n}', { params: { path } })), [region, year, n], 5000);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  if (item.error && !item.data) return <ErrorMessage error={item.error} />;
  if (!item.data) return <Loading />;
  const i = item.data;
  const open = i.status === 'open' || i.status === 'in_progress';
  const manages = claims.role === 'coordinator' || claims.role === 'supervisor';
  const writes = open && (manages || (claims.role === 'member' && claims.country === i.ownerCountry));
  const act = async (call: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await call();
      item.reload();
      onChange();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const postNote = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await unwrap(api.POST('/api/v1/working-groups/{region}/{year}/plan/items/{n}/notes', { params: { path }, body: { text: note } }));
      setNote('');
    });
  };
  const setStatus = (status: 'done' | 'cancelled') => act(() => unwrap(api.POST('/api/v1/working-groups/{region}/{year}/plan/items/{n}/status', { params: { path }, body: { status } })));
  const toOperation = (exercise: boolean) =>
    act(() => unwrap(api.POST(exercise ? '/api/v1/working-groups/{region}/{year}/plan/items/{n}/exercise' : '/api/v1/working-groups/{region}/{year}/plan/items/{n}/operation', { params: { path }, body: {} })));

  return (
    <article className="item" aria-labelledby="item-title" data-testid="action-item">
      <div className="row">
        <h3 id="item-title">
          {i.n}. {i.title}
        </h3>
        <Badge kind={i.status}>
          <span data-testid="item-status">{t(`workingGroups.itemStatus.${i.status}`)}</span>
        </Badge>
        {i.overdue && <Badge kind="overdue">{t('workingGroups.overdue')}</Badge>}
      </div>
      <p>{i.description}</p>
      <dl className="facts">
        <div className="fact">
          <dt>{t('workingGroups.owner')}</dt>
          <dd>{i.ownerCountry}</dd>
        </div>
        <div className="fact">
          <dt>{t('workingGroups.dueDate')}</dt>
          <dd>
            <Instant iso={i.dueDate} utc />
          </dd>
        </div>
        {i.operationId && (
          <div className="fact">
            <dt>{t('workingGroups.operation')}</dt>
            <dd>
              <Link to={`/operations/${i.operationId}`} data-testid="item-operation">
                {i.operationId}
              </Link>
            </dd>
          </div>
        )}
        {i.training && (
          <div className="fact">
            <dt>{t('workingGroups.course')}</dt>
            <dd data-testid="item-course">
              {i.training.hostCountry}: <Instant iso={i.training.startDate} /> – <Instant iso={i.training.endDate} /> ·{' '}
              {i.training.trainees.map((tr) => `${tr.iso} ${tr.count}`).join(', ')}
            </dd>
          </div>
        )}
        {i.exerciseOperationIds.length > 0 && (
          <div className="fact">
            <dt>{t('workingGroups.exercises')}</dt>
            <dd>
              {i.exerciseOperationIds.map((id) => (
                <Link key={id} to={`/operations/${id}`}>
                  {id}{' '}
                </Link>
              ))}
            </dd>
          </div>
        )}
      </dl>
      <h4>{t('workingGroups.notes')}</h4>
      {i.notes.length === 0 ? (
        <Empty>{t('workingGroups.noNotes')}</Empty>
      ) : (
        <ul className="notes" data-testid="item-notes">
          {i.notes.map((note) => (
            <li key={note.at + note.by}>
              <Instant iso={note.at} /> · {note.by}
              {note.country ? ` (${note.country})` : ''}: {note.text}
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorMessage error={error} />}
      {writes && (
        <form className="stack" onSubmit={postNote}>
          <Field label={t('workingGroups.addNote')} error={error?.fieldErrors().text}>
            {(id, d) => <textarea id={id} aria-describedby={d} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="row">
            <button type="submit" className="primary">
              {t('workingGroups.postNote')}
            </button>
            <button type="button" onClick={() => void setStatus('done')}>
              {t('workingGroups.markDone')}
            </button>
            {manages && (
              <button type="button" onClick={() => void setStatus('cancelled')}>
                {t('workingGroups.cancelItem')}
              </button>
            )}
            {claims.role === 'coordinator' && i.kind === 'operation' && !i.operationId && (
              <button type="button" onClick={() => void toOperation(false)}>
                {t('workingGroups.createOperation')}
              </button>
            )}
            {claims.role === 'coordinator' && i.kind === 'training' && (
              <button type="button" onClick={() => void toOperation(true)}>
                {t('workingGroups.runExercise')}
              </button>
            )}
          </div>
        </form>
      )}
      {writes && manages && <DueDateForm path={path} current={i.dueDate} onDone={() => { item.reload(); onChange(); }} />}
      {writes && i.kind === 'training' && <TrainingForm path={path} onDone={() => { item.reload(); onChange(); }} />}
    </article>
  );
}

type ItemPath = { region: Region; year: number; n: number };

/** Coordinators move the due date; an open overdue alert is resolved and the clock starts again. */
function DueDateForm({ path, current, onDone }: { path: ItemPath; current: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [dueDate, setDueDate] = useState(() => toLocalInput(new Date(current)));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await unwrap(api.POST('/api/v1/working-groups/{region}/{year}/plan/items/{n}/due-date', { params: { path }, body: { dueDate: fromLocalInput(dueDate) ?? '', ...(reason ? { reason } : {}) } }));
      onDone();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const problems = error?.fieldErrors() ?? {};
  return (
    <form className="row" onSubmit={(e) => void submit(e)} noValidate aria-label={t('workingGroups.moveDueDate')}>
      <Field label={t('workingGroups.newDueDate')} error={problems.dueDate}>
        {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />}
      </Field>
      <Field label={t('workingGroups.reason')} error={problems.reason}>
        {(id, d) => <input id={id} aria-describedby={d} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit">{t('workingGroups.moveDueDate')}</button>
      {error && <ErrorMessage error={error} />}
    </form>
  );
}

/** A training item's Train-the-Trainer course: dates, host country and trainees per country ("PH 3, TH 2"). */
function TrainingForm({ path, onDone }: { path: ItemPath; onDone: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(() => ({ startDate: toLocalInput(new Date(Date.now() + 30 * 86_400_000)), endDate: toLocalInput(new Date(Date.now() + 34 * 86_400_000)), hostCountry: '', trainees: '' }));
  const [error, setError] = useState<ApiError>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const trainees = form.trainees
      .split(',')
      .map((part) => part.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([iso, count]) => ({ iso: iso.toUpperCase(), count: Number(count) }));
    try {
      await unwrap(
        api.PUT('/api/v1/working-groups/{region}/{year}/plan/items/{n}/training', {
          params: { path },
          body: { startDate: fromLocalInput(form.startDate) ?? '', endDate: fromLocalInput(form.endDate) ?? '', hostCountry: form.hostCountry.toUpperCase(), trainees },
        }),
      );
      onDone();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const problems = error?.fieldErrors() ?? {};
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="course-title">
      <h4 id="course-title">{t('workingGroups.course')}</h4>
      <div className="grid4">
        <Field label={t('workingGroups.courseStart')} error={problems.startDate}>
          {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={form.startDate} onChange={set('startDate')} />}
        </Field>
        <Field label={t('workingGroups.courseEnd')} error={problems.endDate}>
          {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={form.endDate} onChange={set('endDate')} />}
        </Field>
        <Field label={t('workingGroups.host')} error={problems.hostCountry}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.hostCountry} maxLength={2} onChange={set('hostCountry')} />}
        </Field>
      </div>
      <Field label={t('workingGroups.trainees')} hint={t('workingGroups.traineesHint')} error={Object.entries(problems).find(([k]) => k.startsWith('trainees'))?.[1]}>
        {(id, d) => <input id={id} aria-describedby={d} value={form.trainees} onChange={set('trainees')} />}
      </Field>
      {error && <ErrorMessage error={error} />}
      <div>
        <button type="submit">{t('workingGroups.recordCourse')}</button>
      </div>
    </form>
  );
}

function NewItem({ region, year, countries, onCreated }: { region: Region; year: number; countries: string[]; onCreated: (n: number) => void }) {
  const { t } = useTranslation();
  const blank = () => ({ ownerCountry: countries[0] ?? '', kind: 'operation' as Item['kind'], title: '', description: '', dueDate: toLocalInput(new Date(Date.now() + 90 * 86_400_000)), categories: [] as string[] });
  const [form, setForm] = useState(blank);
  const [error, setError] = useState<ApiError>();
  const problems = error?.fieldErrors() ?? {};
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const created = await unwrap<Item>(
        api.POST('/api/v1/working-groups/{region}/{year}/plan/items', {
          params: { path: { region, year } },
          body: {
            ownerCountry: form.ownerCountry,
            kind: form.kind,
            title: form.title,
            description: form.description,
            dueDate: fromLocalInput(form.dueDate) ?? '',
            ...(form.kind === 'operation' && form.categories.length ? { categories: form.categories as never } : {}),
          },
        }),
      );
      setForm(blank());
      onCreated(created.n);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-item-title">
      <h3 id="new-item-title">{t('workingGroups.newItem')}</h3>
      <div className="grid4">
        <Field label={t('workingGroups.owner')} error={problems.ownerCountry}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.ownerCountry} onChange={(e) => setForm((f) => ({ ...f, ownerCountry: e.target.value }))}>
              {countries.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('workingGroups.kind')} error={problems.kind}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as Item['kind'] }))}>
              {ITEM_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`workingGroups.itemKind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('workingGroups.dueDate')} error={problems.dueDate}>
          {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={form.dueDate} onChange={(e) => setForm((f) => ({ ...f, dueDate: e.target.value }))} />}
        </Field>
      </div>
      <Field label={t('workingGroups.itemTitle')} error={problems.title}>
        {(id, d) => <input id={id} aria-describedby={d} value={form.title} onChange={(e) => setForm((f) => ({ ...f, title: e.target.value }))} />}
      </Field>
      <Field label={t('workingGroups.description')} error={problems.description}>
        {(id, d) => <textarea id={id} aria-describedby={d} rows={2} value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />}
      </Field>
      {form.kind === 'operation' && (
        <fieldset className="checks">
          <legend>{t('requests.category')}</legend>
          {CATEGORIES.map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                checked={form.categories.includes(c)}
                onChange={() => setForm((f) => ({ ...f, categories: f.categories.includes(c) ? f.categories.filter((x) => x !== c) : [...f.categories, c] }))}
              />{' '}
              {t(`category.${c}`)}
            </label>
          ))}
        </fieldset>
      )}
      {error && <ErrorMessage error={error} />}
      <div>
        <button type="submit" className="primary">
          {t('workingGroups.addItem')}
        </button>
      </div>
    </form>
  );
}

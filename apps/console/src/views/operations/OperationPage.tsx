import { lazy, Suspense, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Country, CountrySnapshot, OperationDetail, Page } from '../../api/models';
import { RESULT_KINDS } from '../../api/vocabulary';
import { useClaims } from '../../auth/session';
import { Badge, ConfirmButton, ErrorMessage, Field, Instant, Loading } from '../../ui/common';
import { fromLocalInput, number } from '../../ui/format';
import { GrantPanel } from '../partners/PartnerGrants';

// The map (and its atlas) is a separate chunk, fetched only when a surge board opens.
const LazyWorldMap = lazy(() => import('./WorldMap'));

const INSTANTS = ['readinessDeadline', 'actionStart', 'actionEnd', 'debriefDeadline'] as const;

export function OperationPage() {
  const { id = '' } = useParams();
  const claims = useClaims();
  // The surge board polls every 750 ms (one read of the parent's totals): a country's report shows within 2 s.
  const op = useLoad(() => unwrap<OperationDetail>(api.GET('/api/v1/operations/{id}', { params: { path: { id } } })), [id], 750);
  if (op.error && !op.data) return <ErrorMessage error={op.error} onRetry={op.reload} />;
  if (!op.data) return <Loading />;
  return (
    <article className="operation">
      <OperationHeader op={op.data} />
      {op.error && <ErrorMessage error={op.error} />}
      {claims.role === 'member' ? <Participation op={op.data} iso={claims.country ?? ''} onChange={op.reload} /> : <SurgeBoard op={op.data} onChange={op.reload} />}
      {claims.role === 'coordinator' && <GrantPanel objectType="operation" objectId={op.data.id} />}
    </article>
  );
}

function OperationHeader({ op }: { op: OperationDetail }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="row">
        <h1>{op.name}</h1>
        <Badge kind={op.phase}>
          <span data-testid="operation-phase">{t(`phase.${op.phase}`)}</span>
        </Badge>
        {op.exercise && <Badge kind="exercise">{t('operations.exercise')}</Badge>}
      </div>
      <p>{op.objective}</p>
      {op.actionPlanItem && (
        <p data-testid="operation-source">
          {t('workingGroups.fromItem', { n: op.actionPlanItem.n, title: op.actionPlanItem.title, region: t(`region.${op.actionPlanItem.region}`), year: op.actionPlanItem.year })}{' '}
          <Link to={`/working-groups?region=${op.actionPlanItem.region}&year=${op.actionPlanItem.year}&item=${op.actionPlanItem.n}`}>{t('nav.workingGroups')}</Link>
        </p>
      )}
      <dl className="facts">
        {INSTANTS.map((k) => (
          <div key={k} className="fact">
            <dt>{t(`instant.${k}`)}</dt>
            <dd>
              <Instant iso={op.instants[k]} utc />
            </dd>
          </div>
        ))}
        {op.abortReason && (
          <div className="fact">
            <dt>{t('operations.abortReason')}</dt>
            <dd>{op.abortReason}</dd>
          </div>
        )}
      </dl>
    </>
  );
}

type SortKey = 'iso' | 'name' | 'region' | 'status' | 'reports' | 'lastReportAt';

/** The coordinator's live view: map, totals, regions, sortable countries and the steering actions. */
function SurgeBoard({ op, onChange }: { op: OperationDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const names = useLoad(() => unwrap<Page<Country>>(api.GET('/api/v1/countries')), []);
  const nameOf = useMemo(() => new Map((names.data?.items ?? []).map((c) => [c.iso, c.name])), [names.data]);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'iso', desc: false });
  const states = useMemo(() => Object.fromEntries(op.countries.map((c) => [c.iso, c.late && c.status === 'invited' ? 'overdue' : c.status])), [op.countries]);
  const rows = useMemo(() => {
    const value = (c: OperationDetail['countries'][number]) => (sort.key === 'name' ? (nameOf.get(c.iso) ?? c.iso) : sort.key === 'lastReportAt' ? (c.lastReportAt ?? '') : c[sort.key]);
    return [...op.countries].sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.desc ? -order : order;
    });
  }, [op.countries, sort, nameOf]);
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
  const tot = op.totals;
  return (
    <>
      <Steering op={op} onChange={onChange} />
      <section aria-labelledby="totals" className="totals" data-testid="totals">
        <h2 id="totals">{t('surge.totals')}</h2>
        <dl className="cards">
          {(
            [
              ['invited', tot.invited],
              ['ready', tot.ready],
              ['notReady', tot.notReady],
              ['reporting', tot.reporting],
              ['finalReports', tot.finalReports],
              ['withdrawn', tot.withdrawn],
            ] as const
          ).map(([k, v]) => (
            <div key={k} className="card" data-total={k}>
              <dt>{t(`surge.total.${k}`)}</dt>
              <dd>{number(v)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="map-title">
        <h2 id="map-title">{t('surge.map')}</h2>
        <Suspense fallback={<Loading />}>
          <LazyWorldMap states={states} label={t('surge.mapLabel', { ready: tot.ready, invited: tot.invited })} />
        </Suspense>
      </section>
      <div className="two">
        <section aria-labelledby="regions">
          <h2 id="regions">{t('surge.byRegion')}</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('surge.region')}</th>
                <th scope="col">{t('surge.total.invited')}</th>
                <th scope="col">{t('surge.total.ready')}</th>
                <th scope="col">{t('surge.total.reporting')}</th>
                <th scope="col">{t('surge.total.finalReports')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(tot.byRegion).map(([region, r]) => (
                <tr key={region}>
                  <th scope="row">{t(`region.${region}` as 'region.AFRICA')}</th>
                  <td>{r.invited}</td>
                  <td>{r.ready}</td>
                  <td>{r.reporting}</td>
                  <td>{r.finalReports}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="results">
          <h2 id="results">{t('surge.results')}</h2>
          <table className="data">
            <tbody>
              {RESULT_KINDS.map((k) => (
                <tr key={k}>
                  <th scope="row">{t(`result.${k}`)}</th>
                  <td data-result={k}>{number(tot.results[k] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section aria-labelledby="countries">
        <h2 id="countries">{t('surge.countries')}</h2>
        <table className="data" data-testid="country-table">
          <thead>
            <tr>
              {header('iso', t('surge.iso'))}
              {header('name', t('surge.name'))}
              {header('region', t('surge.region'))}
              {header('status', t('surge.status'))}
              {header('reports', t('surge.reports'))}
              {header('lastReportAt', t('surge.lastReport'))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.iso} data-country={c.iso} data-status={c.status}>
                <td>{c.iso}</td>
                <td>{nameOf.get(c.iso) ?? ''}</td>
                <td>{t(`region.${c.region}`)}</td>
                <td>
                  <Badge kind={c.late ? 'overdue' : c.status}>{c.late && c.status === 'invited' ? t('countryStatus.overdue') : t(`countryStatus.${c.status}`)}</Badge>
                </td>
                <td>{c.reports}</td>
                <td>
                  <Instant iso={c.lastReportAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

/** Launch, add, withdraw, extend, abort: each asks for confirmation; a 409 shows why it was refused. */
function Steering({ op, onChange }: { op: OperationDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const [error, setError] = useState<ApiError>();
  const [add, setAdd] = useState('');
  const [withdraw, setWithdraw] = useState('');
  const [reason, setReason] = useState('');
  const [extend, setExtend] = useState<Record<string, string>>({});
  if (claims.role !== 'coordinator' && claims.role !== 'supervisor') return null;
  if (op.phase === 'closed' || op.phase === 'aborted') return null;
  const path = { params: { path: { id: op.id } } };
  const run = (call: () => Promise<unknown>) => {
    setError(undefined);
    call()
      .then(() => onChange())
      .catch((e: ApiError) => setError(e));
  };
  const problems = error?.fieldErrors() ?? {};
  const active = op.countries.filter((c) => c.status !== 'withdrawn' && c.status !== 'aborted');
  return (
    <section aria-labelledby="steering" className="steering">
      <h2 id="steering">{t('steer.title')}</h2>
      <div className="steer-grid">
        {op.phase === 'planning' && (
          <div>
            <ConfirmButton label={t('steer.launch')} question={t('steer.launchQ', { count: op.countries.length })} onConfirm={() => run(() => unwrap(api.POST('/api/v1/operations/{id}/launch', path)))} />
          </div>
        )}
        <form onSubmit={(e: FormEvent) => e.preventDefault()}>
          <Field label={t('steer.addCountries')} error={problems.countries}>
            {(id, d) => <input id={id} aria-describedby={d} value={add} onChange={(e) => setAdd(e.target.value)} placeholder="SG, BN" />}
          </Field>
          <ConfirmButton
            label={t('steer.add')}
            question={t('steer.addQ', { list: add })}
            disabled={!add.trim()}
            onConfirm={() => run(() => unwrap(api.POST('/api/v1/operations/{id}/countries', { ...path, body: { countries: add.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()) } })).then(() => setAdd('')))}
          />
        </form>
        <form onSubmit={(e: FormEvent) => e.preventDefault()}>
          <Field label={t('steer.withdrawCountry')} error={problems.country}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={withdraw} onChange={(e) => setWithdraw(e.target.value)}>
                <option value="">—</option>
                {active.map((c) => (
                  <option key={c.iso} value={c.iso}>
                    {c.iso}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ConfirmButton label={t('steer.withdraw')} question={t('steer.withdrawQ', { iso: withdraw })} disabled={!withdraw} onConfirm={() => run(() => unwrap(api.POST('/api/v1/operations/{id}/withdraw', { ...path, body: { country: withdraw } })))} />
        </form>
        <form onSubmit={(e: FormEvent) => e.preventDefault()} className="extend">
          <fieldset>
            <legend>{t('steer.extend')}</legend>
            {INSTANTS.map((k) => (
              <Field key={k} label={t(`instant.${k}`)} error={problems[k]}>
                {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={extend[k] ?? ''} onChange={(e) => setExtend((x) => ({ ...x, [k]: e.target.value }))} />}
              </Field>
            ))}
            <ConfirmButton
              label={t('steer.extend')}
              question={t('steer.extendQ')}
              disabled={!Object.values(extend).some(Boolean)}
              onConfirm={() =>
                run(() =>
                  unwrap(api.POST('/api/v1/operations/{id}/extend', { ...path, body: Object.fromEntries(Object.entries(extend).filter(([, v]) => v).map(([k, v]) => [k, fromLocalInput(v)])) })).then(() => setExtend({})),
                )
              }
            />
          </fieldset>
        </form>
        <form onSubmit={(e: FormEvent) => e.preventDefault()}>
          <Field label={t('steer.abortReason')} error={problems.reason}>
            {(id, d) => <input id={id} aria-describedby={d} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <ConfirmButton label={t('steer.abort')} danger question={t('steer.abortQ')} disabled={!reason.trim()} onConfirm={() => run(() => unwrap(api.POST('/api/v1/operations/{id}/abort', { ...path, body: { reason } })))} />
        </form>
      </div>
      {error && <ErrorMessage error={error} />}
    </section>
  );
}

/** A member's part in the operation: readiness, result reports, the final report. */
function Participation({ op, iso, onChange }: { op: OperationDetail; iso: string; onChange: () => void }) {
  const { t } = useTranslation();
  const mine = useLoad(() => unwrap<CountrySnapshot>(api.GET('/api/v1/operations/{id}/countries/{iso}', { params: { path: { id: op.id, iso } } })), [op.id, iso, op.phase], 2000);
  const [error, setError] = useState<ApiError>();
  const [ready, setReady] = useState({ ready: 'true', pointOfContact: '', teamSize: '4' });
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState('');
  const [summary, setSummary] = useState('');
  const problems = error?.fieldErrors() ?? {};
  const path = { params: { path: { id: op.id, iso } } };
  const send = (event: FormEvent, call: () => Promise<unknown>, reset: () => void) => {
    event.preventDefault();
    setError(undefined);
    call()
      .then(() => {
        reset();
        mine.reload();
        onChange();
      })
      .catch((e: ApiError) => setError(e));
  };
  if (mine.error && !mine.data) return <ErrorMessage error={mine.error} onRetry={mine.reload} />;
  if (!mine.data) return <Loading />;
  const c = mine.data;
  return (
    <>
      <section aria-labelledby="my-part">
        <h2 id="my-part">{t('part.title', { iso })}</h2>
        <dl className="facts">
          <dt>{t('surge.status')}</dt>
          <dd>
            <Badge kind={c.status}>
              <span data-testid="my-status">{t(`countryStatus.${c.status}`)}</span>
            </Badge>
          </dd>
          <dt>{t('part.pointOfContact')}</dt>
          <dd>{c.pointOfContact ?? '—'}</dd>
          <dt>{t('part.teamSize')}</dt>
          <dd>{c.teamSize ?? '—'}</dd>
          <dt>{t('surge.reports')}</dt>
          <dd>{c.reports.length}</dd>
        </dl>
      </section>
      {error && <ErrorMessage error={error} />}
      {op.phase === 'preparation' && (
        <form className="stack" aria-labelledby="readiness" onSubmit={(e) => send(e, () => unwrap(api.POST('/api/v1/operations/{id}/countries/{iso}/readiness', { ...path, body: { ready: ready.ready === 'true', pointOfContact: ready.pointOfContact, teamSize: Number(ready.teamSize) } })), () => undefined)}>
          <h2 id="readiness">{t('part.readiness')}</h2>
          <Field label={t('part.ready')} error={problems.ready}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={ready.ready} onChange={(e) => setReady((r) => ({ ...r, ready: e.target.value }))}>
                <option value="true">{t('part.yesReady')}</option>
                <option value="false">{t('part.notReady')}</option>
              </select>
            )}
          </Field>
          <Field label={t('part.pointOfContact')} error={problems.pointOfContact}>
            {(id, d) => <input id={id} aria-describedby={d} value={ready.pointOfContact} onChange={(e) => setReady((r) => ({ ...r, pointOfContact: e.target.value }))} />}
          </Field>
          <Field label={t('part.teamSize')} error={problems.teamSize}>
            {(id, d) => <input id={id} aria-describedby={d} type="number" min={0} value={ready.teamSize} onChange={(e) => setReady((r) => ({ ...r, teamSize: e.target.value }))} />}
          </Field>
          <div>
            <button type="submit" className="primary">
              {t('part.confirmReadiness')}
            </button>
          </div>
        </form>
      )}
      {op.phase === 'action' && (
        <form
          className="stack"
          aria-labelledby="report"
          onSubmit={(e) =>
            send(
              e,
              () => unwrap(api.POST('/api/v1/operations/{id}/countries/{iso}/results', { ...path, body: { counts: Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== '').map(([k, v]) => [k, Number(v)])) as never, ...(notes ? { notes } : {}) } })),
              () => {
                setCounts({});
                setNotes('');
              },
            )
          }
        >
          <h2 id="report">{t('part.results')}</h2>
          <div className="grid4">
            {RESULT_KINDS.map((k) => (
              <Field key={k} label={t(`result.${k}`)} error={problems[`counts.${k}`]}>
                {(id, d) => <input id={id} aria-describedby={d} type="number" min={0} value={counts[k] ?? ''} onChange={(e) => setCounts((x) => ({ ...x, [k]: e.target.value }))} />}
              </Field>
            ))}
          </div>
          <Field label={t('part.notes')} error={problems.notes}>
            {(id, d) => <textarea id={id} aria-describedby={d} value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} />}
          </Field>
          <div>
            <button type="submit" className="primary">
              {t('part.sendResults')}
            </button>
          </div>
        </form>
      )}
      {op.phase === 'debrief' && !c.finalReport && (
        <form className="stack" aria-labelledby="final" onSubmit={(e) => send(e, () => unwrap(api.POST('/api/v1/operations/{id}/countries/{iso}/final-report', { ...path, body: { summary } })), () => setSummary(''))}>
          <h2 id="final">{t('part.finalReport')}</h2>
          <Field label={t('part.summary')} error={problems.summary}>
            {(id, d) => <textarea id={id} aria-describedby={d} value={summary} onChange={(e) => setSummary(e.target.value)} rows={4} />}
          </Field>
          <div>
            <button type="submit" className="primary">
              {t('part.sendFinal')}
            </button>
          </div>
        </form>
      )}
      {c.reports.length > 0 && (
        <section aria-labelledby="sent">
          <h2 id="sent">{t('part.sentReports')}</h2>
          <ol className="timeline">
            {c.reports.map((r) => (
              <li key={r.seq}>
                <Instant iso={r.at} /> —{' '}
                {Object.entries(r.counts)
                  .map(([k, v]) => `${t(`result.${k}` as 'result.arrests')}: ${v}`)
                  .join(', ')}
                {r.notes ? ` — ${r.notes}` : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

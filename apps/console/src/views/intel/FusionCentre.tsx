import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../api/client';
import { useLoad } from '../../api/hooks';
import { callUntyped, listUntyped } from '../../api/untyped';
import { CATEGORIES, PRIORITIES, REGIONS } from '../../api/vocabulary';
import { GrantPanel } from '../partners/PartnerGrants';
import { useClaims } from '../../auth/session';
import { Badge, ConfirmButton, Empty, ErrorMessage, Field, Instant, Loading } from '../../ui/common';
import { filledIndicators, IndicatorRows, type IndicatorRow } from '../../ui/IndicatorRows';

// The fusion centre, written against the contract in DESIGN.md: intake and dissemination for
// analysts, the inbox with acknowledgement and feedback for members. While this server answers
// 404 on the collections, each view says the feature is not available here.

const TLP = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
const SOURCE_KINDS = ['law_enforcement', 'private_sector', 'academia', 'cert', 'open_source'] as const;
const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const OUTCOMES = ['actioned', 'no_action', 'already_known'] as const;

interface IntelRow {
  id: string;
  title?: string;
  tlp?: string;
  priority?: string;
  status?: string;
  receivedAt?: string;
}

interface Recipient {
  iso: string;
  status: string;
  level?: number;
  deliveredAt?: string | null;
  acknowledgedAt?: string | null;
  feedback?: { outcome: string; note: string } | null;
}

interface Dissemination {
  id: string;
  intelId: string;
  tlp?: string;
  status: string;
  recipients?: Recipient[];
  totals?: { recipients: number; delivered: number; acknowledged: number; feedback: number; overdue: number };
}

function Unavailable() {
  const { t } = useTranslation();
  return (
    <p className="state unavailable" data-testid="unavailable">
      {t('intel.unavailable')}
    </p>
  );
}

export function FusionCentre({ view }: { view: 'intel' | 'disseminations' }) {
  const claims = useClaims();
  if (view === 'disseminations' || claims.role === 'member') return <DisseminationList inbox={claims.role === 'member'} />;
  return <IntelIntake />;
}

function IntelIntake() {
  const { t } = useTranslation();
  const list = useLoad(() => listUntyped<IntelRow>('/api/v1/intel'), [], 10_000);
  const [selected, setSelected] = useState<string>();
  const [granting, setGranting] = useState<string>();
  return (
    <>
      <h1>{t('intel.intake')}</h1>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.loading && list.data === undefined ? (
        <Loading />
      ) : list.data === null ? (
        <Unavailable />
      ) : (
        <>
          <IntakeForm onCreated={list.reload} />
          <h2>{t('intel.items')}</h2>
          {list.data && list.data.items.length === 0 ? (
            <Empty>{t('intel.none')}</Empty>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('requests.id')}</th>
                  <th scope="col">{t('requests.titleCol')}</th>
                  <th scope="col">TLP</th>
                  <th scope="col">{t('requests.priority')}</th>
                  <th scope="col">{t('requests.status')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('intel.disseminate')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data?.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.id}</td>
                    <td>{i.title ?? ''}</td>
                    <td>{i.tlp && <Badge kind="tlp">{i.tlp}</Badge>}</td>
                    <td>{i.priority ?? ''}</td>
                    <td>{i.status ?? ''}</td>
                    <td>
                      <button type="button" onClick={() => setSelected(i.id)}>
                        {t('intel.disseminate')}
                      </button>{' '}
                      <button type="button" onClick={() => setGranting(i.id)}>
                        {t('grants.onObject')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {selected && <DisseminateForm intelId={selected} onDone={() => setSelected(undefined)} />}
          {granting && <GrantPanel key={granting} objectType="intel" objectId={granting} />}
        </>
      )}
    </>
  );
}

function IntakeForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const empty = { title: '', summary: '', categories: [] as string[], priority: 'P3', tlp: 'TLP:AMBER', sourceKind: 'law_enforcement', sourceName: '', reliability: 'B', credibility: '2' };
  const [form, setForm] = useState(empty);
  const [indicators, setIndicators] = useState<IndicatorRow[]>([{ type: 'domain', value: '' }]);
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<{ id: string; status: string; duplicateOf: string | null; deconfliction?: { hit: boolean } }>();
  const problems = error?.fieldErrors() ?? {};
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    callUntyped<NonNullable<typeof result>>('POST', '/api/v1/intel', {
      title: form.title,
      summary: form.summary,
      categories: form.categories,
      indicators: filledIndicators(indicators),
      priority: form.priority,
      tlp: form.tlp,
      source: { kind: form.sourceKind, ...(form.sourceName ? { name: form.sourceName } : {}), reliability: form.reliability },
      credibility: Number(form.credibility),
    })
      .then((created) => {
        setResult(created);
        setForm(empty);
        setIndicators([{ type: 'domain', value: '' }]);
        onCreated();
      })
      .catch((e: ApiError) => setError(e));
  };
  const select = (k: keyof typeof empty, label: string, options: readonly string[], labelOf: (o: string) => string = (o) => o, field = k as string) => (
    <Field label={label} error={problems[field]}>
      {(id, d) => (
        <select id={id} aria-describedby={d} value={form[k] as string} onChange={set(k)}>
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
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="intake-title">
      <h2 id="intake-title">{t('intel.newItem')}</h2>
      <Field label={t('submit.titleField')} error={problems.title}>
        {(id, d) => <input id={id} aria-describedby={d} value={form.title} onChange={set('title')} />}
      </Field>
      <Field label={t('intel.summary')} error={problems.summary}>
        {(id, d) => <textarea id={id} aria-describedby={d} rows={4} value={form.summary} onChange={set('summary')} />}
      </Field>
      <fieldset className="checks">
        <legend>{t('requests.category')}</legend>
        {CATEGORIES.map((c) => (
          <label key={c}>
            <input type="checkbox" checked={form.categories.includes(c)} onChange={() => setForm((f) => ({ ...f, categories: f.categories.includes(c) ? f.categories.filter((x) => x !== c) : [...f.categories, c] }))} /> {t(`category.${c}`)}
          </label>
        ))}
        {problems.categories && <small className="field-error">{problems.categories}</small>}
      </fieldset>
      <IndicatorRows rows={indicators} onChange={setIndicators} problems={problems} />
      <div className="grid4">
        {select('priority', t('requests.priority'), PRIORITIES, (o) => t(`priority.${o}` as 'priority.P1'))}
        {select('tlp', t('intel.tlp'), TLP)}
        {select('sourceKind', t('intel.sourceKind'), SOURCE_KINDS, (o) => t(`sourceKind.${o}` as 'sourceKind.cert'), 'source.kind')}
        <Field label={t('intel.sourceName')} error={problems['source.name']}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.sourceName} onChange={set('sourceName')} />}
        </Field>
        {select('reliability', t('intel.reliability'), RELIABILITY, (o) => o, 'source.reliability')}
        {select('credibility', t('intel.credibility'), ['1', '2', '3', '4', '5', '6'])}
      </div>
      {error && <ErrorMessage error={error} />}
      {result && (
        <p role="status" className="ok-text">
          {result.status === 'duplicate' ? t('intel.duplicate', { id: result.id, of: result.duplicateOf }) : t('intel.received', { id: result.id })} {result.deconfliction?.hit ? t('intel.overlap') : ''}
        </p>
      )}
      <div>
        <button type="submit" className="primary">
          {t('intel.take')}
        </button>
      </div>
    </form>
  );
}

function DisseminateForm({ intelId, onDone }: { intelId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [countries, setCountries] = useState('');
  const [regions, setRegions] = useState<string[]>([]);
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState<{ id: string; recipients: number }>();
  const problems = error?.fieldErrors() ?? {};
  const send = () => {
    setError(undefined);
    const list = countries.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
    callUntyped<{ id: string; recipients: number }>('POST', `/api/v1/intel/${encodeURIComponent(intelId)}/disseminate`, { ...(list.length ? { countries: list } : {}), ...(regions.length ? { regions } : {}) })
      .then(setSent)
      .catch((e: ApiError) => setError(e));
  };
  return (
    <form className="stack" onSubmit={(e) => e.preventDefault()} aria-labelledby="disseminate-title">
      <h2 id="disseminate-title">{t('intel.disseminateItem', { id: intelId })}</h2>
      <Field label={t('operations.countryCodes')} error={problems.countries} hint={t('operations.countryCodesHint')}>
        {(id, d) => <input id={id} aria-describedby={d} value={countries} onChange={(e) => setCountries(e.target.value)} />}
      </Field>
      <fieldset className="checks">
        <legend>{t('operations.regions')}</legend>
        {REGIONS.map((r) => (
          <label key={r}>
            <input type="checkbox" checked={regions.includes(r)} onChange={() => setRegions((x) => (x.includes(r) ? x.filter((y) => y !== r) : [...x, r]))} /> {t(`region.${r}`)}
          </label>
        ))}
      </fieldset>
      {error && <ErrorMessage error={error} />}
      {sent ? (
        <p role="status" className="ok-text">
          {t('intel.sent', { count: sent.recipients })} <Link to={`/disseminations/${sent.id}`}>{sent.id}</Link>
        </p>
      ) : (
        <div className="row">
          <ConfirmButton label={t('intel.disseminate')} question={t('intel.disseminateQ', { id: intelId })} onConfirm={send} />
          <button type="button" onClick={onDone}>
            {t('common.cancel')}
          </button>
        </div>
      )}
    </form>
  );
}

function DisseminationList({ inbox }: { inbox: boolean }) {
  const { t } = useTranslation();
  const list = useLoad(() => listUntyped<Dissemination>('/api/v1/disseminations'), [], 10_000);
  return (
    <>
      <h1>{inbox ? t('intel.inbox') : t('intel.disseminations')}</h1>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.loading && list.data === undefined ? (
        <Loading />
      ) : list.data === null ? (
        <Unavailable />
      ) : list.data && list.data.items.length === 0 ? (
        <Empty>{t('intel.none')}</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('requests.id')}</th>
              <th scope="col">{t('intel.item')}</th>
              <th scope="col">TLP</th>
              <th scope="col">{t('requests.status')}</th>
              <th scope="col">{t('intel.progress')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/disseminations/${d.id}`}>{d.id}</Link>
                </td>
                <td>{d.intelId}</td>
                <td>{d.tlp && <Badge kind="tlp">{d.tlp}</Badge>}</td>
                <td>{d.status}</td>
                <td>{d.totals ? t('intel.totals', d.totals) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Per-recipient status; members see their own row with acknowledge and feedback, analysts may recall. */
export function DisseminationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const claims = useClaims();
  const detail = useLoad(() => callUntyped<Dissemination>('GET', `/api/v1/disseminations/${encodeURIComponent(id)}`), [id], 3000);
  const [error, setError] = useState<ApiError>();
  const [reason, setReason] = useState('');
  const [feedback, setFeedback] = useState({ outcome: 'actioned', note: '' });
  const act = (path: string, body: unknown) => {
    setError(undefined);
    callUntyped('POST', path, body)
      .then(() => detail.reload())
      .catch((e: ApiError) => setError(e));
  };
  if (detail.error && !detail.data) return <ErrorMessage error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const d = detail.data;
  const base = `/api/v1/disseminations/${encodeURIComponent(d.id)}`;
  return (
    <article>
      <div className="row">
        <h1>
          {t('intel.dissemination')} <small>{d.id}</small>
        </h1>
        {d.tlp && <Badge kind="tlp">{d.tlp}</Badge>}
        <Badge kind={d.status}>{d.status}</Badge>
      </div>
      {error && <ErrorMessage error={error} />}
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('requests.country')}</th>
            <th scope="col">{t('requests.status')}</th>
            <th scope="col">{t('alerts.level')}</th>
            <th scope="col">{t('intel.delivered')}</th>
            <th scope="col">{t('intel.acknowledged')}</th>
            <th scope="col">{t('intel.feedback')}</th>
          </tr>
        </thead>
        <tbody>
          {(d.recipients ?? []).map((r) => (
            <tr key={r.iso}>
              <td>{r.iso}</td>
              <td>
                <Badge kind={r.status}>{r.status}</Badge>
              </td>
              <td>{r.level ?? ''}</td>
              <td>
                <Instant iso={r.deliveredAt} />
              </td>
              <td>
                <Instant iso={r.acknowledgedAt} />
              </td>
              <td>{r.feedback ? `${t(`outcome.${r.feedback.outcome}` as 'outcome.actioned', { defaultValue: r.feedback.outcome })}: ${r.feedback.note}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {claims.role === 'member' && claims.country && d.status === 'active' && (
        <section aria-labelledby="answer">
          <h2 id="answer">{t('intel.answer')}</h2>
          <button type="button" className="primary" onClick={() => act(`${base}/recipients/${claims.country}/ack`, {})}>
            {t('alerts.ack')}
          </button>
          <form className="stack" onSubmit={(e) => (e.preventDefault(), act(`${base}/recipients/${claims.country}/feedback`, feedback))}>
            <Field label={t('intel.outcome')} error={error?.fieldErrors().outcome}>
              {(fid, desc) => (
                <select id={fid} aria-describedby={desc} value={feedback.outcome} onChange={(e) => setFeedback((f) => ({ ...f, outcome: e.target.value }))}>
                  {OUTCOMES.map((o) => (
                    <option key={o} value={o}>
                      {t(`outcome.${o}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('part.notes')} error={error?.fieldErrors().note}>
              {(fid, desc) => <textarea id={fid} aria-describedby={desc} rows={2} value={feedback.note} onChange={(e) => setFeedback((f) => ({ ...f, note: e.target.value }))} />}
            </Field>
            <div>
              <button type="submit">{t('intel.sendFeedback')}</button>
            </div>
          </form>
        </section>
      )}
      {claims.role === 'analyst' && d.status === 'active' && (
        <section aria-labelledby="recall">
          <h2 id="recall">{t('intel.recall')}</h2>
          <Field label={t('change.reason')} error={error?.fieldErrors().reason}>
            {(fid, desc) => <input id={fid} aria-describedby={desc} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <ConfirmButton label={t('intel.recall')} danger disabled={!reason.trim()} question={t('intel.recallQ')} onConfirm={() => act(`${base}/recall`, { reason })} />
        </section>
      )}
    </article>
  );
}

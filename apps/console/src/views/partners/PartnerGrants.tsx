import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { components } from '../../../generated/api';
import { api, ApiError, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Indicator } from '../../api/models';
import { callUntyped } from '../../api/untyped';
import { RESULT_KINDS } from '../../api/vocabulary';
import { useClaims } from '../../auth/session';
import { Badge, ConfirmButton, Empty, ErrorMessage, Field, Instant, Loading } from '../../ui/common';
import { fromLocalInput, number } from '../../ui/format';

// Partner grants: a partner sees its organisation's live grants and the granted operation or
// item; a coordinator (operation) or analyst (intel item) grants and revokes from the object.

type Grant = components['schemas']['PartnerGrantViewDto'];
type PartnerOperation = components['schemas']['PartnerOperationViewDto'];
type Tlp = Grant['tlpCeiling'];
const CEILINGS: Tlp[] = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];
const OUTCOMES = ['actioned', 'no_action', 'already_known'] as const;

interface PartnerIntel {
  id: string;
  tlp: string;
  priority: string;
  categories: string[];
  contentWithheld: boolean;
  title?: string;
  summary?: string;
  indicators?: Indicator[];
}

const listGrants = (query: { objectId?: string } = {}) => unwrap<{ items: Grant[] }>(api.GET('/api/v1/partner-grants', { params: { query } }));

/** `/grants`: partners, their live grants; granters, the grants they made (supervisors: all). */
export function GrantsPage() {
  const { t } = useTranslation();
  const claims = useClaims();
  const list = useLoad(() => listGrants(), [], 10_000);
  return (
    <>
      <h1>{t('grants.title')}</h1>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data ? <Loading /> : <GrantTable grants={list.data.items} partner={claims.role === 'partner'} onChange={list.reload} />}
    </>
  );
}

function GrantTable({ grants, partner, onChange }: { grants: Grant[]; partner: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  if (grants.length === 0) return <Empty>{t('grants.none')}</Empty>;
  return (
    <table className="data" data-testid="grant-table">
      <thead>
        <tr>
          <th scope="col">{t('grants.object')}</th>
          <th scope="col">{t('grants.org')}</th>
          <th scope="col">{t('grants.ceiling')}</th>
          <th scope="col">{t('grants.endsAt')}</th>
          <th scope="col">{t('requests.status')}</th>
          {!partner && (
            <th scope="col">
              <span className="sr-only">{t('grants.revoke')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {grants.map((g) => (
          <tr key={g.id} data-grant={g.id} data-status={g.status}>
            <td>{partner ? <Link to={`/grants/${g.id}`}>{g.objectLabel}</Link> : `${g.objectLabel} (${g.objectId})`}</td>
            <td>{g.org}</td>
            <td>
              <Badge kind="tlp">{g.tlpCeiling}</Badge>
            </td>
            <td>
              <Instant iso={g.endsAt} />
            </td>
            <td>
              <Badge kind={g.status}>{t(`grants.status.${g.status}`)}</Badge>
            </td>
            {!partner && <td>{g.status === 'active' && <RevokeButton grant={g} onDone={onChange} />}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RevokeButton({ grant, onDone }: { grant: Grant; onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError>();
  const revoke = () =>
    unwrap(api.POST('/api/v1/partner-grants/{id}/revoke', { params: { path: { id: grant.id } }, body: { reason: t('grants.revokedFromConsole') } }))
      .then(onDone)
      .catch((e: ApiError) => setError(e));
  return (
    <>
      <ConfirmButton danger label={t('grants.revoke')} question={t('grants.revokeQ', { org: grant.org })} onConfirm={() => void revoke()} />
      {error && <ErrorMessage error={error} />}
    </>
  );
}

/** `/grants/:id` for a partner: the granted operation or item, and what the partner may send back. */
export function GrantPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const grant = useLoad(() => unwrap<Grant>(api.GET('/api/v1/partner-grants/{id}', { params: { path: { id } } })), [id]);
  if (grant.error && !grant.data) return <ErrorMessage error={grant.error} onRetry={grant.reload} />;
  if (!grant.data) return <Loading />;
  const g = grant.data;
  return (
    <article>
      <p className="hint">
        {t('grants.purpose')}: {g.purpose} · {t('grants.ceiling')}: <Badge kind="tlp">{g.tlpCeiling}</Badge> · {t('grants.endsAt')}: <Instant iso={g.endsAt} />
      </p>
      {g.objectType === 'operation' ? <GrantedOperation id={g.objectId} grantId={g.id} /> : <GrantedIntel id={g.objectId} grantId={g.id} />}
    </article>
  );
}

function GrantedOperation({ id, grantId }: { id: string; grantId: string }) {
  const { t } = useTranslation();
  const op = useLoad(() => unwrap<PartnerOperation>(api.GET('/api/v1/operations/{id}', { params: { path: { id } } })), [id], 10_000);
  if (op.error && !op.data) return <ErrorMessage error={op.error} onRetry={op.reload} />;
  if (!op.data) return <Loading />;
  return (
    <>
      <div className="row">
        <h1>{op.data.name}</h1>
        <Badge kind={op.data.phase}>{t(`phase.${op.data.phase}` as 'phase.planning')}</Badge>
      </div>
      <p>{op.data.objective}</p>
      <table className="data">
        <caption>{t('surge.results')}</caption>
        <tbody>
          {RESULT_KINDS.map((k) => (
            <tr key={k}>
              <th scope="row">{t(`result.${k}`)}</th>
              <td>{number(op.data?.results[k] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ResultsForm grantId={grantId} />
    </>
  );
}

/** One line per indicator: `domain c2.example.net`. */
function parseIndicators(text: string): Array<{ type: string; value: string }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [type, ...rest] = l.split(/\s+/);
      return { type, value: rest.join(' ') };
    });
}

function ResultsForm({ grantId }: { grantId: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<(typeof RESULT_KINDS)[number]>('domains_taken_down');
  const [count, setCount] = useState('1');
  const [notes, setNotes] = useState('');
  const [indicators, setIndicators] = useState('');
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState(false);
  const problems = error?.fieldErrors() ?? {};
  const send = () => {
    setError(undefined);
    setSent(false);
    callUntyped('POST', `/api/v1/partner-grants/${encodeURIComponent(grantId)}/results`, {
      counts: { [kind]: Number(count) },
      ...(notes ? { notes } : {}),
      indicators: parseIndicators(indicators),
    })
      .then(() => setSent(true))
      .catch((e: ApiError) => setError(e));
  };
  return (
    <form className="stack" onSubmit={(e) => (e.preventDefault(), send())} aria-labelledby="partner-results">
      <h2 id="partner-results">{t('grants.sendResults')}</h2>
      <Field label={t('grants.kind')}>
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {RESULT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`result.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('grants.count')} error={problems.counts}>
        {(id, d) => <input id={id} aria-describedby={d} type="number" min={0} value={count} onChange={(e) => setCount(e.target.value)} />}
      </Field>
      <Field label={t('grants.notes')} error={problems.notes}>
        {(id, d) => <textarea id={id} aria-describedby={d} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <Field label={t('grants.indicators')} hint={t('grants.indicatorsHint')} error={Object.entries(problems).find(([f]) => f.startsWith('indicators'))?.[1]}>
        {(id, d) => <textarea id={id} aria-describedby={d} value={indicators} onChange={(e) => setIndicators(e.target.value)} />}
      </Field>
      {error && <ErrorMessage error={error} />}
      {sent && (
        <p role="status" className="ok-text">
          {t('grants.sent')}
        </p>
      )}
      <button type="submit" className="primary">
        {t('grants.sendResults')}
      </button>
    </form>
  );
}

function GrantedIntel({ id, grantId }: { id: string; grantId: string }) {
  const { t } = useTranslation();
  const item = useLoad(() => callUntyped<PartnerIntel>('GET', `/api/v1/intel/${encodeURIComponent(id)}`), [id]);
  if (item.error && !item.data) return <ErrorMessage error={item.error} onRetry={item.reload} />;
  if (!item.data) return <Loading />;
  const i = item.data;
  return (
    <>
      <div className="row">
        <h1>{i.contentWithheld ? i.id : i.title}</h1>
        <Badge kind="tlp">{i.tlp}</Badge>
      </div>
      {i.contentWithheld ? (
        <p className="state" data-testid="content-withheld">
          {t('grants.withheld')}
        </p>
      ) : (
        <>
          <p>{i.summary}</p>
          <ul>
            {(i.indicators ?? []).map((x) => (
              <li key={`${x.type}:${x.value}`}>
                <code>{x.type}</code> {x.value}
              </li>
            ))}
          </ul>
        </>
      )}
      <FeedbackForm grantId={grantId} />
    </>
  );
}

function FeedbackForm({ grantId }: { grantId: string }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('actioned');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState(false);
  const send = () => {
    setError(undefined);
    unwrap(api.POST('/api/v1/partner-grants/{id}/feedback', { params: { path: { id: grantId } }, body: { outcome, note } }))
      .then(() => setSent(true))
      .catch((e: ApiError) => setError(e));
  };
  return (
    <form className="stack" onSubmit={(e) => (e.preventDefault(), send())} aria-labelledby="partner-feedback">
      <h2 id="partner-feedback">{t('grants.feedback')}</h2>
      <Field label={t('grants.outcome')}>
        {(id) => (
          <select id={id} value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`grants.outcomes.${o}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('grants.notes')} error={error?.fieldErrors().note}>
        {(id, d) => <textarea id={id} aria-describedby={d} value={note} onChange={(e) => setNote(e.target.value)} required />}
      </Field>
      {error && <ErrorMessage error={error} />}
      {sent && (
        <p role="status" className="ok-text">
          {t('grants.sent')}
        </p>
      )}
      <button type="submit" className="primary">
        {t('grants.sendFeedback')}
      </button>
    </form>
  );
}

/** On an operation (coordinator) or an intel item (analyst): its partner grants, grant and revoke. */
export function GrantPanel({ objectType, objectId }: { objectType: 'operation' | 'intel'; objectId: string }) {
  const { t } = useTranslation();
  const list = useLoad(() => listGrants({ objectId }), [objectId]);
  const [org, setOrg] = useState('');
  const [ceiling, setCeiling] = useState<Tlp>('TLP:GREEN');
  const [named, setNamed] = useState('');
  const [purpose, setPurpose] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [error, setError] = useState<ApiError>();
  const problems = error?.fieldErrors() ?? {};
  const grant = () => {
    setError(undefined);
    const namedSubs = named.split(/[\s,]+/).filter(Boolean);
    unwrap(
      api.POST('/api/v1/partner-grants', {
        params: { header: {} },
        body: { org: org.trim().toLowerCase(), objectType, objectId, tlpCeiling: ceiling, purpose, endsAt: fromLocalInput(endsAt) ?? '', ...(namedSubs.length ? { namedSubs } : {}) },
      }),
    )
      .then(() => {
        setOrg('');
        setPurpose('');
        list.reload();
      })
      .catch((e: ApiError) => setError(e));
  };
  return (
    <section aria-labelledby="partner-grants" data-testid="grant-panel">
      <h2 id="partner-grants">{t('grants.onObject')}</h2>
      {list.data ? <GrantTable grants={list.data.items} partner={false} onChange={list.reload} /> : <Loading />}
      <form className="stack" onSubmit={(e) => (e.preventDefault(), grant())}>
        <Field label={t('grants.org')} error={problems.org}>
          {(id, d) => <input id={id} aria-describedby={d} value={org} onChange={(e) => setOrg(e.target.value)} required />}
        </Field>
        <Field label={t('grants.ceiling')} error={problems.tlpCeiling}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={ceiling} onChange={(e) => setCeiling(e.target.value as Tlp)}>
              {CEILINGS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('grants.named')} hint={t('grants.namedHint')} error={problems.namedSubs}>
          {(id, d) => <input id={id} aria-describedby={d} value={named} onChange={(e) => setNamed(e.target.value)} />}
        </Field>
        <Field label={t('grants.purpose')} error={problems.purpose}>
          {(id, d) => <input id={id} aria-describedby={d} value={purpose} onChange={(e) => setPurpose(e.target.value)} required />}
        </Field>
        <Field label={t('grants.endsAt')} error={problems.endsAt}>
          {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required />}
        </Field>
        {error && <ErrorMessage error={error} />}
        <button type="submit" className="primary">
          {t('grants.grant')}
        </button>
      </form>
    </section>
  );
}

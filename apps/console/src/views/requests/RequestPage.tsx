import { useEffect, useState, type FormEvent } from 'react';
import type { components } from '../../../generated/api';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ALLOWED_FROM, CHANGE_ROLES } from '../../../../../workflows/support-request/support-request.rules';
import type { LifecycleChange } from '../../../../../workflows/support-request/support-request.messages';
import { api, ApiError, unwrap } from '../../api/client';
import { useLoad, useNow } from '../../api/hooks';
import type { HistoryEntry, Page, SupportRequestDetail } from '../../api/models';
import { ACTION_KINDS, PAUSE_REASONS, TRIAGE_DECISIONS } from '../../api/vocabulary';
import { useClaims, type Claims } from '../../auth/session';
import { Badge, ErrorMessage, Field, Instant, Loading } from '../../ui/common';
import { SlaBar } from '../../ui/SlaBar';

/** Triage decisions open in this state (a triaged request may still be rejected, not accepted again). */
export function triageDecisions(status: SupportRequestDetail['status']) {
  return TRIAGE_DECISIONS.filter((d) => ALLOWED_FROM[`triage:${d}`].includes(status));
}

/**
 * The changes this role may make now: the same table the workflow and the API apply, plus the
 * resolution clock's own state for pause (running) and resume (paused, but not by the requester's wait).
 */
export function allowedChanges(role: Claims['role'], r: Pick<SupportRequestDetail, 'status' | 'sla'>): LifecycleChange[] {
  const from = (change: LifecycleChange): readonly string[] => {
    if (change === 'triage') return triageDecisions(r.status).length > 0 ? [r.status] : [];
    if (change === 'pause-clock') return r.sla.resolution.state === 'running' ? ALLOWED_FROM.pause : [];
    if (change === 'resume-clock') return r.sla.resolution.state === 'paused' && r.status !== 'awaiting_requester' ? ALLOWED_FROM.resume : [];
    return ALLOWED_FROM[change] ?? [];
  };
  return (Object.keys(CHANGE_ROLES) as LifecycleChange[]).filter((c) => CHANGE_ROLES[c].includes(role) && from(c).includes(r.status));
}

export function RequestPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const claims = useClaims();
  const now = useNow();
  const detail = useLoad(() => unwrap<SupportRequestDetail>(api.GET('/api/v1/support-requests/{id}', { params: { path: { id } } })), [id], 2000);
  const history = useLoad(() => unwrap<Page<HistoryEntry>>(api.GET('/api/v1/support-requests/{id}/history', { params: { path: { id } } })), [id], 4000);

  if (detail.error && !detail.data) return <ErrorMessage error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const r = detail.data;
  const changes = allowedChanges(claims.role, r);
  const reload = () => {
    detail.reload();
    history.reload();
  };
  return (
    <article className="request">
      <div className="row">
        <h1>
          {r.title} <small>{r.id}</small>
        </h1>
      </div>
      {detail.error && <ErrorMessage error={detail.error} />}
      <dl className="facts">
        <dt>{t('requests.status')}</dt>
        <dd>
          <Badge kind={r.status}>
            <span data-testid="request-status">{t(`status.${r.status}`)}</span>
          </Badge>
        </dd>
        <dt>{t('requests.priority')}</dt>
        <dd>
          <Badge kind={r.priority}>{r.priority}</Badge>
        </dd>
        <dt>{t('requests.category')}</dt>
        <dd>{t(`category.${r.category}`)}</dd>
        <dt>{t('requests.mode')}</dt>
        <dd>{t(`mode.${r.mode}`)}</dd>
        <dt>{t('requests.country')}</dt>
        <dd>{r.country}</dd>
        <dt>{t('requests.assignee')}</dt>
        <dd>{r.assignee ?? '—'}</dd>
        <dt>{t('requests.submitted')}</dt>
        <dd>
          <Instant iso={r.submittedAt} utc />
        </dd>
      </dl>
      <p className="description">{r.description}</p>

      <section aria-labelledby="clocks">
        <h2 id="clocks">{t('requests.clocks')}</h2>
        <div className="clock-grid">
          {(['triage', 'firstResponse', 'resolution'] as const).map((c) => (
            <SlaBar key={c} name={c} clock={r.sla[c]} warnAt={r.policy.warnAt} now={now} />
          ))}
        </div>
      </section>

      <section aria-labelledby="deconfliction">
        <h2 id="deconfliction">{t('deconfliction.title')}</h2>
        {r.deconfliction.hit ? (
          <>
            <p className="warning-text">{t('deconfliction.hit', { count: r.deconfliction.hits.length })}</p>
            <ul>
              {r.deconfliction.hits.map((h, i) => (
                <li key={i}>
                  <code>
                    {h.indicator.type}: {h.indicator.value}
                  </code>
                  {h.objectId ? ` — ${h.objectId}${h.country ? ` (${h.country})` : ''}` : ''}
                  {h.contact ? ` — ${t('deconfliction.contact')}: ${contactText(h.contact)}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t('deconfliction.none')}</p>
        )}
      </section>

      {r.indicators.length > 0 && (
        <section aria-labelledby="indicators">
          <h2 id="indicators">{t('submit.indicators')}</h2>
          <ul className="indicators">
            {r.indicators.map((i, n) => (
              <li key={n}>
                <code>
                  {i.type}: {i.value}
                </code>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t('requests.actions')}</h2>
        {changes.length === 0 ? <p className="hint">{t('requests.noActions')}</p> : changes.map((c) => <ChangeForm key={`${c}-${r.status}`} id={r.id} status={r.status} change={c} claims={claims} onDone={reload} />)}
      </section>

      <section aria-labelledby="timeline">
        <h2 id="timeline">{t('requests.timeline')}</h2>
        {history.error && <ErrorMessage error={history.error} />}
        {!history.data ? (
          <Loading />
        ) : (
          <ol className="timeline">
            {history.data.items.map((e) => (
              <li key={e.id}>
                <Instant iso={e.at} /> — <strong>{t(`history.${e.action.replace(/^support_request\./, '')}` as 'history.submit', { defaultValue: e.action })}</strong> {e.before && e.after && e.before !== e.after ? `(${t(`status.${e.before}` as 'status.submitted')} → ${t(`status.${e.after}` as 'status.submitted')})` : ''}{' '}
                <span className="hint">
                  {e.actor.sub} ({e.actor.role})
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

function contactText(contact: unknown): string {
  if (typeof contact === 'string') return contact;
  const c = contact as { name?: string; address?: string; country?: string };
  return [c.name, c.address, c.country].filter(Boolean).join(', ');
}

type Body = Record<string, unknown>;
type Officer = components['schemas']['OfficerDto'];

/** Assignable officers from the staff directory (the API accepts no one else), own region first. */
function OfficerSelect({ value, onChange, error }: { value: string; onChange: (email: string) => void; error?: string }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const staff = useLoad(() => unwrap<{ items: Officer[] }>(api.GET('/api/v1/staff', { params: { query: { active: true } } })), []);
  const officers = (staff.data?.items ?? []).filter((o) => o.role === 'coordinator' || o.role === 'supervisor').sort((a, b) => Number(b.region === claims.region) - Number(a.region === claims.region));
  useEffect(() => {
    if (!value && officers[0]) onChange(officers[0].email);
  }, [value, officers, onChange]);
  if (staff.error) return <ErrorMessage error={staff.error} />;
  return (
    <Field label={t('change.assignee')} error={error}>
      {(id, d) => (
        <select id={id} aria-describedby={d} value={value} onChange={(e) => onChange(e.target.value)}>
          {officers.map((o) => (
            <option key={o.id} value={o.email}>
              {o.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** One lifecycle change as a small form; a 409 shows the workflow's reason, a 400 the fields. */
function ChangeForm({ id, status, change, claims, onDone }: { id: string; status: SupportRequestDetail['status']; change: LifecycleChange; claims: Claims; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Body>(() => initial(change, claims, status));
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = (key: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));
  const fieldErrors = error?.fieldErrors() ?? {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
      await unwrap(api.POST(`/api/v1/support-requests/{id}/${change}` as '/api/v1/support-requests/{id}/close', { params: { path: { id } }, body: body as never }));
      setValues(initial(change, claims, status));
      onDone();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const text = (key: string, label: string, multiline = false) => (
    <Field label={label} error={fieldErrors[key]}>
      {(fid, describedBy) =>
        multiline ? (
          <textarea id={fid} aria-describedby={describedBy} value={String(values[key] ?? '')} onChange={set(key)} rows={2} />
        ) : (
          <input id={fid} aria-describedby={describedBy} value={String(values[key] ?? '')} onChange={set(key)} />
        )
      }
    </Field>
  );
  const select = (key: string, label: string, options: readonly string[], labelOf: (o: string) => string) => (
    <Field label={label} error={fieldErrors[key]}>
      {(fid, describedBy) => (
        <select id={fid} aria-describedby={describedBy} value={String(values[key] ?? '')} onChange={set(key)}>
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
    <form className="change" onSubmit={(e) => void submit(e)} aria-label={t(`change.${change}`)} data-change={change}>
      {change === 'triage' && (
        <>
          {select('decision', t('change.decision'), triageDecisions(status), (o) => t(`decision.${o}` as 'decision.accept'))}
          {values.decision !== 'accept' && text('reason', t('change.reason'))}
          {values.decision === 'duplicate' && text('duplicateOf', t('change.duplicateOf'))}
        </>
      )}
      {change === 'assign' && <OfficerSelect value={String(values.assignee ?? '')} onChange={(v) => setValues((x) => ({ ...x, assignee: v }))} error={fieldErrors.assignee} />}
      {change === 'actions' && (
        <>
          {select('kind', t('change.kind'), ACTION_KINDS, (o) => t(`actionKind.${o}` as 'actionKind.advice'))}
          {text('note', t('change.note'), true)}
        </>
      )}
      {change === 'request-info' && text('question', t('change.question'), true)}
      {change === 'provide-info' && text('answer', t('change.answer'), true)}
      {change === 'resolve' && text('summary', t('change.summary'), true)}
      {(change === 'cancel' || change === 'reopen') && text('reason', t('change.reason'))}
      {change === 'pause-clock' && select('reason', t('change.reason'), PAUSE_REASONS, (o) => t(`pauseReason.${o}` as 'pauseReason.legal_process'))}
      <button type="submit" className={change === 'cancel' ? 'danger' : 'primary'} disabled={busy}>
        {t(`change.${change}`)}
      </button>
      {error && <ErrorMessage error={error} />}
    </form>
  );
}

function initial(change: LifecycleChange, claims: Claims, status: SupportRequestDetail['status']): Body {
  if (change === 'triage') return { decision: triageDecisions(status)[0] };
  if (change === 'actions') return { kind: 'info_exchange', note: '' };
  if (change === 'pause-clock') return { reason: 'awaiting_partner' };
  return {};
}

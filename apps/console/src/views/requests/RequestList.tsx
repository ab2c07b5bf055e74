import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useLoad, useNow } from '../../api/hooks';
import type { Page, SupportRequestRow } from '../../api/models';
import { REQUEST_STATUSES } from '../../api/vocabulary';
import { useClaims } from '../../auth/session';
import { Badge, Empty, ErrorMessage, Instant, Loading } from '../../ui/common';
import { SlaBar } from '../../ui/SlaBar';

export const OPEN_STATUSES = ['submitted', 'triaged', 'in_progress', 'awaiting_requester'] as const;

/** A member's own requests (everyone else's scope otherwise), refreshed every few seconds. */
export function RequestList() {
  const { t } = useTranslation();
  const claims = useClaims();
  const [status, setStatus] = useState<(typeof REQUEST_STATUSES)[number] | ''>('');
  const now = useNow();
  const list = useLoad(
    () => unwrap<Page<SupportRequestRow>>(api.GET('/api/v1/support-requests', { params: { query: { limit: 100, ...(status ? { status } : {}) } } })),
    [status],
    3000,
  );
  return (
    <>
      <div className="row">
        <h1>{claims.role === 'member' ? t('requests.mine', { country: claims.country }) : t('requests.title')}</h1>
        <span className="spacer" />
        {claims.role === 'member' && (
          <Link className="button primary" to="/requests/new">
            {t('nav.newRequest')}
          </Link>
        )}
      </div>
      <div className="filters">
        <label>
          {t('requests.status')}{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">{t('common.all')}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && list.data.items.length === 0 ? (
        <Empty>{t('requests.none')}</Empty>
      ) : list.data ? (
        <RequestTable rows={list.data.items} now={now} />
      ) : null}
    </>
  );
}

export function RequestTable({ rows, now, caption }: { rows: SupportRequestRow[]; now: number; caption?: string }) {
  const { t } = useTranslation();
  return (
    <table className="data" data-testid="request-table">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('requests.id')}</th>
          <th scope="col">{t('requests.titleCol')}</th>
          <th scope="col">{t('requests.status')}</th>
          <th scope="col">{t('requests.priority')}</th>
          <th scope="col">{t('requests.country')}</th>
          <th scope="col">{t('requests.clocks')}</th>
          <th scope="col">{t('requests.updated')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-request={r.id}>
            <td>
              <Link to={`/requests/${r.id}`}>{r.id}</Link>
            </td>
            <td>{r.title}</td>
            <td>
              <Badge kind={r.status}>{t(`status.${r.status}`)}</Badge>
            </td>
            <td>
              <Badge kind={r.priority}>{r.priority}</Badge>
            </td>
            <td>{r.country}</td>
            <td className="clocks">
              {r.sla && (OPEN_STATUSES as readonly string[]).includes(r.status)
                ? (['triage', 'firstResponse', 'resolution'] as const)
                    .filter((c) => r.sla![c].state !== 'met')
                    .slice(0, 1)
                    .map((c) => <SlaBar key={c} name={c} clock={r.sla![c]} warnAt={r.sla!.warnAt} now={now} compact />)
                : '—'}
            </td>
            <td>
              <Instant iso={r.updatedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiError } from '../../api/client';
import { Badge, Empty, ErrorMessage, Instant } from '../../ui/common';
import { useAlertFeed } from './alertFeed';
import { workingGroupHref } from '../working-groups/links';

/** The number of open alerts, for the header badge (supervisors and coordinators). */
export function useAlertBadge(enabled: boolean): number {
  const feed = useAlertFeed(enabled);
  return enabled ? feed.alerts.filter((a) => !a.acknowledgedAt && !a.resolvedAt).length : 0;
}

export function AlertBoard() {
  const { t } = useTranslation();
  const feed = useAlertFeed();
  const [error, setError] = useState<ApiError>();
  const open = feed.alerts.filter((a) => !a.acknowledgedAt && !a.resolvedAt);
  const acknowledged = feed.alerts.filter((a) => a.acknowledgedAt);
  return (
    <>
      <div className="row">
        <h1>{t('alerts.title')}</h1>
        <span className="spacer" />
        <span className={`conn conn-${feed.stream}`} role="status" data-testid="stream-state" data-state={feed.stream}>
          {t(`alerts.stream.${feed.stream}`)}
        </span>
        {feed.stream === 'lost' && (
          <button type="button" onClick={feed.reconnect}>
            {t('alerts.reconnect')}
          </button>
        )}
      </div>
      {error && <ErrorMessage error={error} />}
      <section aria-labelledby="open-alerts" aria-live="polite">
        <h2 id="open-alerts">{t('alerts.open', { count: open.length })}</h2>
        {open.length === 0 ? <Empty>{t('alerts.none')}</Empty> : <AlertTable alerts={open} fresh={feed.fresh} onAck={(id) => feed.acknowledge(id).catch((e: ApiError) => setError(e))} />}
      </section>
      {acknowledged.length > 0 && (
        <section aria-labelledby="acked-alerts">
          <h2 id="acked-alerts">{t('alerts.acknowledged')}</h2>
          <AlertTable alerts={acknowledged} fresh={feed.fresh} />
        </section>
      )}
    </>
  );
}

function AlertTable({ alerts, fresh, onAck }: { alerts: ReturnType<typeof useAlertFeed>['alerts']; fresh: ReadonlySet<string>; onAck?: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <table className="data" data-testid="alert-table">
      <thead>
        <tr>
          <th scope="col">{t('alerts.kind')}</th>
          <th scope="col">{t('alerts.object')}</th>
          <th scope="col">{t('alerts.where')}</th>
          <th scope="col">{t('alerts.level')}</th>
          <th scope="col">{t('alerts.raised')}</th>
          <th scope="col">{onAck ? <span className="sr-only">{t('alerts.ack')}</span> : t('alerts.ackedBy')}</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id} data-alert={a.id} data-object={a.objectId} className={fresh.has(a.id) ? 'fresh' : undefined}>
            <td>
              <Badge kind={a.kind}>{t(`alertKind.${a.kind}`)}</Badge>
              {a.clock ? ` ${t(`sla.clock.${a.clock}` as 'sla.clock.triage')}` : ''}
            </td>
            <td>{a.objectType === 'support_request' ? <Link to={`/requests/${a.objectId}`}>{a.objectId}</Link> : a.objectType === 'operation' ? <Link to={`/operations/${a.objectId.split('/')[0]}`}>{a.objectId}</Link> : workingGroupHref(a.objectId) ? <Link to={workingGroupHref(a.objectId)!}>{a.objectId}</Link> : a.objectId}</td>
            <td>{[a.country, a.region].filter(Boolean).join(' · ')}</td>
            <td>
              {a.level}
              {a.levelName ? ` (${t(`ladder.${a.levelName}` as 'ladder.supervisor', { defaultValue: a.levelName })})` : ''}
            </td>
            <td>
              <Instant iso={a.escalatedAt ?? a.raisedAt} utc />
            </td>
            <td>
              {onAck ? (
                <button type="button" onClick={() => onAck(a.id)} aria-label={t('alerts.ackOne', { id: a.objectId })}>
                  {t('alerts.ack')}
                </button>
              ) : (
                `${a.acknowledgedBy ?? ''}`
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

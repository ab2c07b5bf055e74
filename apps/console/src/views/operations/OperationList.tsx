import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { OperationRow, Page } from '../../api/models';
import { useClaims } from '../../auth/session';
import { Badge, Empty, ErrorMessage, Instant, Loading } from '../../ui/common';

export function OperationList() {
  const { t } = useTranslation();
  const claims = useClaims();
  const list = useLoad(() => unwrap<Page<OperationRow>>(api.GET('/api/v1/operations', { params: { query: { limit: 100 } } })), [], 5000);
  const mayPlan = claims.role === 'coordinator' || claims.role === 'supervisor';
  return (
    <>
      <div className="row">
        <h1>{claims.role === 'member' ? t('operations.mine', { country: claims.country }) : t('operations.title')}</h1>
        <span className="spacer" />
        {mayPlan && (
          <Link className="button primary" to="/operations/new">
            {t('operations.create')}
          </Link>
        )}
      </div>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data?.items.length === 0 ? (
        <Empty>{t('operations.none')}</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('operations.name')}</th>
              <th scope="col">{t('operations.phase')}</th>
              {claims.role !== 'member' && <th scope="col">{t('operations.countries')}</th>}
              <th scope="col">{t('operations.ready')}</th>
              <th scope="col">{t('operations.actionWindow')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/operations/${o.id}`}>{o.name}</Link> {o.exercise && <Badge kind="exercise">{t('operations.exercise')}</Badge>}
                </td>
                <td>
                  <Badge kind={o.phase}>{t(`phase.${o.phase}`)}</Badge>
                </td>
                {claims.role !== 'member' && <td>{o.countries}</td>}
                <td>{o.totals ? `${o.totals.ready} / ${o.totals.invited}` : '—'}</td>
                <td>
                  <Instant iso={o.instants.actionStart} /> – <Instant iso={o.instants.actionEnd} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

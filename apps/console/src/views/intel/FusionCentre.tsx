import { useTranslation } from 'react-i18next';
import { ApiError, bearer } from '../../api/client';
import { useLoad } from '../../api/hooks';
import { useClaims } from '../../auth/session';
import { Badge, Empty, ErrorMessage, Loading } from '../../ui/common';

interface IntelRow {
  id: string;
  title?: string;
  tlp?: string;
  priority?: string;
  status?: string;
}

/**
 * Intelligence inbox and dissemination tracker. The fusion-centre API is not in this server's
 * OpenAPI document yet, so this reads it untyped and says so when the server answers 404.
 */
async function readUntyped(path: string): Promise<{ items: IntelRow[] } | null> {
  const token = bearer();
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (response.status === 404) return null;
  const body = (await response.json().catch(() => ({}))) as { items?: IntelRow[]; message?: string };
  if (!response.ok) throw new ApiError(response.status, body.message ?? response.statusText);
  return { items: body.items ?? [] };
}

export function FusionCentre({ view }: { view: 'intel' | 'disseminations' }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const list = useLoad(() => readUntyped(view === 'intel' ? '/api/v1/intel' : '/api/v1/disseminations'), [view], 10_000);
  const title = view === 'intel' ? (claims.role === 'member' ? t('intel.inbox') : t('intel.intake')) : t('intel.disseminations');
  return (
    <>
      <h1>{title}</h1>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.loading && list.data === undefined ? (
        <Loading />
      ) : list.data === null ? (
        <p className="state unavailable" data-testid="unavailable">
          {t('intel.unavailable')}
        </p>
      ) : list.data && list.data.items.length === 0 ? (
        <Empty>{t('intel.none')}</Empty>
      ) : list.data ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('requests.id')}</th>
              <th scope="col">{t('requests.titleCol')}</th>
              <th scope="col">TLP</th>
              <th scope="col">{t('requests.priority')}</th>
              <th scope="col">{t('requests.status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <td>{i.id}</td>
                <td>{i.title ?? ''}</td>
                <td>{i.tlp && <Badge kind="tlp">{i.tlp}</Badge>}</td>
                <td>{i.priority ?? ''}</td>
                <td>{i.status ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

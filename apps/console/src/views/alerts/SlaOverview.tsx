import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useLoad, useNow } from '../../api/hooks';
import type { Page, SupportRequestRow } from '../../api/models';
import { PRIORITIES } from '../../api/vocabulary';
import { ErrorMessage, Loading } from '../../ui/common';
import { clockTone } from '../../ui/clock';
import { OPEN_STATUSES } from '../requests/RequestList';

const TONES = ['ok', 'warning', 'breached', 'paused'] as const;

/** Open requests by priority and by the state of their most urgent clock. */
export function SlaOverview() {
  const { t } = useTranslation();
  const now = useNow(5000);
  const list = useLoad(() => unwrap<Page<SupportRequestRow>>(api.GET('/api/v1/support-requests', { params: { query: { limit: 100 } } })), [], 5000);
  if (list.error && !list.data) return <ErrorMessage error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading />;
  const open = list.data.items.filter((r) => (OPEN_STATUSES as readonly string[]).includes(r.status) && r.sla);
  // A request counts under its most urgent clock: breached, then warning, then paused.
  const worst = (r: SupportRequestRow) => {
    const tones = (['triage', 'firstResponse', 'resolution'] as const).map((c) => clockTone(r.sla![c], r.sla!.warnAt, now));
    return (['breached', 'warning', 'paused'] as const).find((tone) => tones.includes(tone)) ?? 'ok';
  };
  const cell = (p: string, tone: string) => open.filter((r) => r.priority === p && worst(r) === tone).length;
  return (
    <>
      <h1>{t('slaOverview.title')}</h1>
      <p className="hint">{t('slaOverview.hint', { count: open.length })}</p>
      <table className="data matrix">
        <thead>
          <tr>
            <th scope="col">{t('requests.priority')}</th>
            {TONES.map((tone) => (
              <th scope="col" key={tone}>
                {t(`slaOverview.${tone}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((p) => (
            <tr key={p}>
              <th scope="row">{t(`priority.${p}`)}</th>
              {TONES.map((tone) => (
                <td key={tone} className={cell(p, tone) > 0 ? `tone-${tone}` : undefined}>
                  {cell(p, tone)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

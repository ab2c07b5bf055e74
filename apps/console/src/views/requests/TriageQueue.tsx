import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useLoad, useNow } from '../../api/hooks';
import type { Page, SupportRequestRow } from '../../api/models';
import { Empty, ErrorMessage, Loading } from '../../ui/common';
import { remaining } from '../../ui/clock';
import { RequestTable } from './RequestList';

/** Submitted requests waiting for triage, the least time left on the triage clock first. */
export function TriageQueue() {
  const { t } = useTranslation();
  const now = useNow();
  const queue = useLoad(() => unwrap<Page<SupportRequestRow>>(api.GET('/api/v1/support-requests', { params: { query: { status: 'submitted', limit: 100 } } })), [], 2000);
  const rows = [...(queue.data?.items ?? [])].sort((a, b) => timeLeft(a, now) - timeLeft(b, now));
  return (
    <>
      <h1>{t('triage.title')}</h1>
      <p className="hint">{t('triage.hint')}</p>
      {queue.error && <ErrorMessage error={queue.error} onRetry={queue.reload} />}
      {queue.loading && !queue.data ? <Loading /> : rows.length === 0 ? <Empty>{t('triage.empty')}</Empty> : <RequestTable rows={rows} now={now} caption={t('triage.caption', { count: rows.length })} />}
    </>
  );
}

function timeLeft(row: SupportRequestRow, now: number): number {
  return row.sla ? remaining(row.sla.triage, now) : Number.MAX_SAFE_INTEGER;
}

import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Page, SlaPolicy } from '../../api/models';
import { ErrorMessage, Field, Loading } from '../../ui/common';

const DURATIONS = ['triage', 'firstResponse', 'resolution', 'acknowledge'] as const;
/** As Temporal writes durations (the API's own rule): "30s", "4h", "3d". */
const DURATION = /^\d+(\.\d+)?(ms|s|m|h|d)$/;

/** "0.75" or "0,75", as people write it in English or French. */
const decimal = (text: string) => Number(text.trim().replace(',', '.'));

export function Policies() {
  const { t } = useTranslation();
  const list = useLoad(() => unwrap<Page<SlaPolicy>>(api.GET('/api/v1/sla-policies')), []);
  return (
    <>
      <h1>{t('policies.title')}</h1>
      <p className="hint">{t('policies.hint')}</p>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data ? !list.error && <Loading /> : list.data.items.map((p) => <PolicyForm key={p.priority} policy={p} onSaved={list.reload} />)}
    </>
  );
}

function PolicyForm({ policy, onSaved }: { policy: SlaPolicy; onSaved: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(() => ({ ...policy, warnAt: String(policy.warnAt) }));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  useEffect(() => setValues({ ...policy, warnAt: String(policy.warnAt) }), [policy]);
  const problems = { ...(error?.fieldErrors() ?? {}), ...local };

  const validate = () => {
    const found: Record<string, string> = {};
    for (const k of DURATIONS) if (!DURATION.test(values[k].trim())) found[k] = t('policies.badDuration');
    const warnAt = decimal(values.warnAt);
    if (!(warnAt >= 0.05 && warnAt <= 0.99)) found.warnAt = t('policies.badWarnAt');
    setLocal(found);
    return Object.keys(found).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    if (!validate()) return;
    try {
      await unwrap(
        api.PUT('/api/v1/sla-policies/{priority}', {
          params: { path: { priority: policy.priority as 'P1' } },
          body: { triage: values.triage.trim(), firstResponse: values.firstResponse.trim(), resolution: values.resolution.trim(), acknowledge: values.acknowledge.trim(), warnAt: decimal(values.warnAt) },
        }),
      );
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  return (
    <form className="policy" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`policy-${policy.priority}`} data-policy={policy.priority}>
      <h2 id={`policy-${policy.priority}`}>
        {t(`priority.${policy.priority}` as 'priority.P1')} <small>v{policy.version}</small>
      </h2>
      <div className="grid5">
        {DURATIONS.map((k) => (
          <Field key={k} label={t(`policies.${k}`)} error={problems[k]}>
            {(id, d) => <input id={id} aria-describedby={d} value={values[k]} onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))} size={6} />}
          </Field>
        ))}
        <Field label={t('policies.warnAt')} error={problems.warnAt}>
          {(id, d) => <input id={id} aria-describedby={d} value={values.warnAt} inputMode="decimal" onChange={(e) => setValues((v) => ({ ...v, warnAt: e.target.value }))} size={5} />}
        </Field>
      </div>
      <button type="submit" className="primary">
        {t('common.save')}
      </button>
      {saved && (
        <span role="status" className="ok-text">
          {' '}
          {t('policies.saved')}
        </span>
      )}
      {error && <ErrorMessage error={error} />}
    </form>
  );
}

import { useTranslation } from 'react-i18next';
import type { ClockView } from '../api/models';
import { clockTone, duration, remaining } from './clock';
import { utcDateTime, localDateTime } from './format';

export function SlaBar({ name, clock, warnAt, now, compact }: { name: string; clock: ClockView; warnAt: number; now: number; compact?: boolean }) {
  const { t } = useTranslation();
  const tone = clockTone(clock, warnAt, now);
  const left = remaining(clock, now);
  const used = Math.min(100, Math.max(0, Math.round((1 - left / clock.budgetMs) * 100)));
  const status =
    tone === 'met' ? t('sla.met') : tone === 'paused' ? t('sla.paused', { left: duration(left) }) : tone === 'breached' ? t('sla.breached', { over: duration(-left) }) : t('sla.left', { left: duration(left) });
  return (
    <div className={`sla sla-${tone}${compact ? ' compact' : ''}`} data-clock={name} data-tone={tone}>
      <div className="sla-label">
        <span>{t(`sla.clock.${name}` as 'sla.clock.triage')}</span>
        <span className="sla-status">{status}</span>
      </div>
      <div className="sla-track" role="progressbar" aria-label={`${t(`sla.clock.${name}` as 'sla.clock.triage')}: ${status}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={used}>
        <div className="sla-fill" style={{ width: `${tone === 'met' ? 100 : used}%` }} />
      </div>
      {!compact && clock.state !== 'met' && (
        <div className="sla-deadline">
          {t('sla.deadline')} <time dateTime={clock.deadline}>{localDateTime(clock.deadline)}</time> <span className="utc">({utcDateTime(clock.deadline)})</span>
        </div>
      )}
    </div>
  );
}

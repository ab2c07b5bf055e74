import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { localDateTime, utcDateTime } from './format';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="state" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** An API error in words: 409 shows the workflow's reason, 404 says not found, 503 asks to retry. */
export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useTranslation();
  const title =
    error.status === 409
      ? t('errors.conflict')
      : error.status === 404
        ? t('errors.notFound')
        : error.status === 403
          ? t('errors.forbidden')
          : error.status === 400
            ? t('errors.invalid')
            : error.status === 0
              ? t('errors.network')
              : error.status >= 500
                ? t('errors.server')
                : t('errors.generic');
  return (
    <div className="error" role="alert">
      <strong>{title}</strong> <span>{error.message}</span>
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** An instant in the user's zone, with UTC beside it for deadlines. */
export function Instant({ iso, utc = false }: { iso: string | null | undefined; utc?: boolean }) {
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={utcDateTime(iso)}>
      {localDateTime(iso)}
      {utc && <span className="utc"> ({utcDateTime(iso)})</span>}
    </time>
  );
}

export function Badge({ kind, children }: { kind: string; children: ReactNode }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}

/** A labelled control with the API's problem for that field under it. */
export function Field({ label, error, children, hint }: { label: string; error?: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

/** A button that asks before doing something that cannot be undone (steering an operation). */
export function ConfirmButton({ label, question, onConfirm, danger, disabled }: { label: string; question: string; onConfirm: () => void; danger?: boolean; disabled?: boolean }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <>
      <button type="button" className={danger ? 'danger' : undefined} onClick={() => setOpen(true)} disabled={disabled}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} onClose={() => setOpen(false)}>
        <p id={titleId}>{question}</p>
        <div className="row">
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            onClick={() => {
              setOpen(false);
              onConfirm();
            }}
          >
            {t('common.confirm')}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </dialog>
    </>
  );
}

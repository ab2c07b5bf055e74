import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap, type ApiError } from '../api/client';
import type { Page, Persona } from '../api/models';
import { completeOidcSignIn, startOidcSignIn, type OidcSettings } from '../auth/oidc';
import { useSession } from '../auth/session';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { ErrorMessage, Field } from '../ui/common';

interface Settings {
  devPersonas: boolean;
  oidc: OidcSettings | null;
}

async function loadSettings(): Promise<Settings> {
  return unwrap<Settings>(api.GET('/api/v1/console/settings'));
}

export function SignIn() {
  const { t } = useTranslation();
  const { signIn, endedBecause } = useSession();
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const [settings, setSettings] = useState<Settings>();
  const [personas, setPersonas] = useState<Persona[]>([]);
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    loadSettings()
      .then(async (s) => {
        setSettings(s);
        if (s.devPersonas) setPersonas((await unwrap<Page<Persona>>(api.GET('/api/v1/console/dev-personas'))).items);
      })
      .catch((e: ApiError) => setError(e));
  }, []);

  const enter = (value: string) => {
    const claims = signIn(value);
    if (!claims) {
      setProblem(t('auth.badToken'));
      return;
    }
    void navigate('/', { replace: true });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    enter(token);
  };

  return (
    <main id="main" className="signin">
      <div className="row">
        <h1>{t('app.name')}</h1>
        <span className="spacer" />
        <LanguageSwitch />
      </div>
      {endedBecause === 'expired' && (
        <p className="error" role="alert">
          {t('auth.expired')}
        </p>
      )}
      {error && <ErrorMessage error={error} />}
      {settings?.oidc && (
        <section>
          <h2>{t('auth.organisation')}</h2>
          <button type="button" className="primary" onClick={() => void startOidcSignIn(settings.oidc!)}>
            {t('auth.withProvider')}
          </button>
        </section>
      )}
      {personas.length > 0 && (
        <section aria-labelledby="personas">
          <h2 id="personas">{t('auth.signInAs')}</h2>
          <p className="hint">{t('auth.devOnly')}</p>
          <ul className="personas">
            {personas.map((p) => (
              <li key={p.sub}>
                <button type="button" onClick={() => enter(p.token)} data-persona={p.role}>
                  <strong>{t(`roles.${p.role}`)}</strong> {p.country ?? p.region ?? ''} <small>{p.sub}</small>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>{t('auth.withToken')}</h2>
        <form onSubmit={submit}>
          <Field label={t('auth.token')} error={problem} hint={t('auth.tokenHint')}>
            {(id, describedBy) => (
              <textarea id={id} aria-describedby={describedBy} value={token} onChange={(e) => setToken(e.target.value)} rows={4} spellCheck={false} autoComplete="off" required />
            )}
          </Field>
          <button type="submit" className="primary">
            {t('auth.signIn')}
          </button>
        </form>
      </section>
    </main>
  );
}

/** Where the identity provider sends the browser back with the authorization code. */
export function OidcCallback() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    loadSettings()
      .then((s) => (s.oidc ? completeOidcSignIn(s.oidc) : Promise.reject(new Error('OIDC is not configured'))))
      .then((accessToken) => {
        signIn(accessToken);
        void navigate('/', { replace: true });
      })
      .catch((e: Error) => setProblem(e.message));
  }, [signIn, navigate]);
  return <main id="main">{problem ? <p role="alert">{problem}</p> : <p role="status">{t('common.loading')}</p>}</main>;
}

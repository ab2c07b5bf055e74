import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { useSession, type Claims } from './auth/session';
import { Loading } from './ui/common';
import { SignIn, OidcCallback } from './views/SignIn';
import { RequestList } from './views/requests/RequestList';
import { RequestPage } from './views/requests/RequestPage';
import { SubmitRequest } from './views/requests/SubmitRequest';
import { TriageQueue } from './views/requests/TriageQueue';
import { OperationList } from './views/operations/OperationList';
import { CreateOperation } from './views/operations/CreateOperation';
import { OperationPage } from './views/operations/OperationPage';
import { AlertBoard, useAlertBadge } from './views/alerts/AlertBoard';
import { SlaOverview } from './views/alerts/SlaOverview';
import { DisseminationPage, FusionCentre } from './views/intel/FusionCentre';
import { Policies } from './views/admin/Policies';
import { Contacts } from './views/admin/Contacts';
import { GrantPage, GrantsPage } from './views/partners/PartnerGrants';
import { LanguageSwitch } from './i18n/LanguageSwitch';
import { WorkingGroupPage } from './views/working-groups/WorkingGroupPage';

// Charts are a chunk of their own: the console's first load stays small.
const TrendsPage = lazy(() => import('./views/trends/TrendsPage'));

export type NavKey = 'triage' | 'requests' | 'newRequest' | 'operations' | 'alerts' | 'sla' | 'intel' | 'disseminations' | 'policies' | 'contacts' | 'trends' | 'grants' | 'workingGroups';

/** Each role's navigation; the first entry is its home. */
export const NAVIGATION: Record<Claims['role'], Array<{ key: NavKey; to: string }>> = {
  member: [
    { key: 'requests', to: '/requests' },
    { key: 'newRequest', to: '/requests/new' },
    { key: 'operations', to: '/operations' },
    { key: 'intel', to: '/intel' },
    { key: 'trends', to: '/trends' },
    { key: 'workingGroups', to: '/working-groups' },
  ],
  coordinator: [
    { key: 'triage', to: '/triage' },
    { key: 'requests', to: '/requests' },
    { key: 'operations', to: '/operations' },
    { key: 'alerts', to: '/alerts' },
    { key: 'trends', to: '/trends' },
    { key: 'grants', to: '/grants' },
    { key: 'workingGroups', to: '/working-groups' },
  ],
  supervisor: [
    { key: 'alerts', to: '/alerts' },
    { key: 'sla', to: '/sla' },
    { key: 'requests', to: '/requests' },
    { key: 'operations', to: '/operations' },
    { key: 'trends', to: '/trends' },
    { key: 'workingGroups', to: '/working-groups' },
  ],
  analyst: [
    { key: 'intel', to: '/intel' },
    { key: 'disseminations', to: '/disseminations' },
    { key: 'trends', to: '/trends' },
    { key: 'grants', to: '/grants' },
  ],
  admin: [
    { key: 'policies', to: '/policies' },
    { key: 'contacts', to: '/contacts' },
  ],
  // Partners see only what a grant gives them: their organisation's live grants.
  partner: [{ key: 'grants', to: '/grants' }],
};

const WHO: Record<Claims['role'], (c: Claims) => string> = {
  member: (c) => c.country ?? '',
  coordinator: (c) => c.region ?? 'global',
  supervisor: () => '',
  analyst: () => '',
  admin: () => '',
  partner: (c) => c.org ?? '',
};

export function App() {
  const { session } = useSession();
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  if (!session) {
    return (
      <Routes>
        <Route path="/auth/callback" element={<OidcCallback />} />
        <Route path="*" element={<SignIn />} />
      </Routes>
    );
  }
  const { claims } = session;
  const nav = NAVIGATION[claims.role] ?? [];
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <Header claims={claims} />
      <div className="shell">
        <nav aria-label={t('nav.label')}>
          <ul>
            {nav.map((item) => (
              <li key={item.key}>
                <NavLink to={item.to} end>
                  {t(`nav.${item.key}`)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<Navigate to={nav[0]?.to ?? '/requests'} replace />} />
              <Route path="/auth/callback" element={<Navigate to="/" replace />} />
              <Route path="/requests" element={<RequestList />} />
              <Route path="/requests/new" element={<SubmitRequest />} />
              <Route path="/requests/:id" element={<RequestPage />} />
              <Route path="/triage" element={<TriageQueue />} />
              <Route path="/operations" element={<OperationList />} />
              <Route path="/operations/new" element={<CreateOperation />} />
              <Route path="/operations/:id" element={<OperationPage />} />
              <Route path="/alerts" element={<AlertBoard />} />
              <Route path="/sla" element={<SlaOverview />} />
              <Route path="/intel" element={<FusionCentre view="intel" />} />
              <Route path="/disseminations" element={<FusionCentre view="disseminations" />} />
              <Route path="/disseminations/:id" element={<DisseminationPage />} />
              <Route path="/policies" element={<Policies />} />
              <Route path="/contacts" element={<Contacts />} />
              <Route path="/trends" element={<TrendsPage />} />
              <Route path="/grants" element={<GrantsPage />} />
              <Route path="/grants/:id" element={<GrantPage />} />
              <Route path="/working-groups" element={<WorkingGroupPage />} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </main>
      </div>
      <FocusOnNavigate />
    </>
  );
}

function Header({ claims }: { claims: Claims }) {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const badge = useAlertBadge(claims.role === 'supervisor' || claims.role === 'coordinator');
  const where = WHO[claims.role]?.(claims);
  return (
    <header className="top">
      <span className="brand">{t('app.name')}</span>
      {badge > 0 && (
        <NavLink to="/alerts" className="badge badge-breached" aria-label={t('alerts.openCount', { count: badge })}>
          {badge}
        </NavLink>
      )}
      <span className="spacer" />
      <span className="who" data-testid="who">
        {t(`roles.${claims.role}`)}
        {where ? ` · ${where}` : ''} · {claims.sub}
      </span>
      <LanguageSwitch />
      <button type="button" onClick={() => signOut()}>
        {t('auth.signOut')}
      </button>
    </header>
  );
}

/** Moves focus to the main region after navigation, for keyboard and screen-reader users. */
function FocusOnNavigate() {
  const location = useLocation();
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
  return null;
}

function NotFound() {
  const { t } = useTranslation();
  return <h1>{t('errors.notFound')}</h1>;
}

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { configureApi } from '../api/client';
import type { Region, Role } from '../api/models';

export interface Claims {
  sub: string;
  role: Role;
  country?: string;
  region?: Region;
  /** A partner's organisation. */
  org?: string;
  exp?: number;
}

export interface Session {
  token: string;
  claims: Claims;
}

// Session storage: the token survives a reload of this tab only, and never enters a URL.
const KEY = 'cyberops.console.token';

/** The claims of a JWT, without verifying it (the API verifies every call). */
export function decodeClaims(token: string): Claims | null {
  try {
    const part = token.split('.')[1];
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const claims = JSON.parse(json) as Claims;
    return typeof claims.sub === 'string' && typeof claims.role === 'string' ? claims : null;
  } catch {
    return null;
  }
}

function restore(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const claims = token ? decodeClaims(token) : null;
  if (!token || !claims || (claims.exp && claims.exp * 1000 < Date.now())) return null;
  return { token, claims };
}

interface SessionContext {
  session: Session | null;
  /** Why the last session ended ('expired' after a 401), shown on the sign-in page. */
  endedBecause: 'expired' | null;
  signIn(token: string): Claims | null;
  signOut(reason?: 'expired'): void;
}

const Context = createContext<SessionContext | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => restore());
  const [endedBecause, setEndedBecause] = useState<'expired' | null>(null);

  const signOut = useCallback((reason?: 'expired') => {
    sessionStorage.removeItem(KEY);
    configureApi(null, () => undefined);
    setEndedBecause(reason ?? null);
    setSession(null);
  }, []);

  const signIn = useCallback(
    (token: string) => {
      const claims = decodeClaims(token.trim());
      if (!claims) return null;
      sessionStorage.setItem(KEY, token.trim());
      configureApi(token.trim(), () => signOut('expired'));
      setEndedBecause(null);
      setSession({ token: token.trim(), claims });
      return claims;
    },
    [signOut],
  );

  // Configure before the first render of any view, so its first request carries the token.
  if (session) configureApi(session.token, () => signOut('expired'));

  const value = useMemo(() => ({ session, endedBecause, signIn, signOut }), [session, endedBecause, signIn, signOut]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user's claims; views under the signed-in layout only. */
export function useClaims(): Claims {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session.claims;
}

// Sign-in through the identity provider (authorization code + PKCE), loaded only when used.
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

async function manager(settings: OidcSettings) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: settings.issuer,
    client_id: settings.clientId,
    scope: settings.scope,
    redirect_uri: `${location.origin}/auth/callback`,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  await (await manager(settings)).signinRedirect();
}

/** Completes the redirect and answers the access token; the code and state leave the URL. */
export async function completeOidcSignIn(settings: OidcSettings): Promise<string> {
  const user = await (await manager(settings)).signinRedirectCallback();
  history.replaceState(null, '', '/');
  return user.access_token;
}

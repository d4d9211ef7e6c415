// Sign-in with an OpenID provider: the authorization-code flow with PKCE (RFC 7636, S256) done in the page. The
// verifier and state wait in sessionStorage during the round trip; the code is exchanged with fetch, and the URL is
// cleaned at once, so the code never stays in the address bar or the history.

const PENDING = 'portbank.oidc';

/** The provider's settings from the page's data attributes, or null when none is configured. */
export function providerFrom(body) {
  const issuer = body.dataset.oidcIssuer;
  const clientId = body.dataset.oidcClientId;
  if (!issuer || !clientId) return null;
  return { issuer, clientId, scope: body.dataset.oidcScope || 'openid' };
}

function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

function base64Url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(length) {
  return base64Url(crypto.getRandomValues(new Uint8Array(length)));
}

async function discover(provider) {
  const url = `${provider.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response;
  try {
    response = await fetch(url, { credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new Error(`the provider at ${provider.issuer} did not answer`);
  }
  if (!response.ok) throw new Error(`the provider answered ${response.status} for its configuration`);
  const metadata = await response.json();
  // Mix-up defence: the document must speak for the issuer we were configured with.
  if (metadata.issuer !== provider.issuer && metadata.issuer !== provider.issuer.replace(/\/+$/, '')) {
    throw new Error(`the provider says its issuer is ${metadata.issuer}, not ${provider.issuer}`);
  }
  return metadata;
}

/** Sends the browser to the provider's sign-in page. */
export async function beginSignIn(provider) {
  if (!window.isSecureContext || !crypto.subtle) {
    throw new Error('signing in with a provider needs HTTPS (or localhost)');
  }
  const metadata = await discover(provider);
  const verifier = randomText(32);
  const state = randomText(16);
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: redirectUri(),
    scope: provider.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * If the provider just sent the browser back here, exchanges the code for an access token and returns it; returns
 * null when this page load is not such a return. Throws with a readable message when the sign-in failed.
 */
export async function completeSignIn(provider) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  history.replaceState(null, '', location.pathname);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  if (params.has('error')) {
    throw new Error(`the provider refused: ${params.get('error_description') || params.get('error')}`);
  }
  if (!provider) throw new Error('this PortBank has no provider configured');
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('the sign-in answer does not match a sign-in started here; start again');
  }
  const metadata = await discover(provider);
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: provider.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || typeof tokens.access_token !== 'string') {
    throw new Error(`the provider did not give a token: ${tokens.error_description || tokens.error || response.status}`);
  }
  return tokens.access_token;
}

// Who is signed in. The token lives in sessionStorage (this tab only, gone when it closes), never in a cookie or
// the URL; the claims read from it only shape the page: PortBank checks every call itself.

const KEY = 'portbank.token';

export function savedToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token) {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode): the token still lives in memory for this page.
  }
}

export function forgetToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** The token's subject and roles, as PortBank reads them (roles default to customer), or null if unreadable. */
export function claims(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return null;
  try {
    const json = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[1])));
    const roles = Array.isArray(json.roles) ? json.roles.filter((r) => typeof r === 'string') : [];
    return {
      subject: typeof json.sub === 'string' ? json.sub : '',
      roles: roles.length ? roles : ['customer'],
      expiresAt: typeof json.exp === 'number' ? new Date(json.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

function base64UrlDecode(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

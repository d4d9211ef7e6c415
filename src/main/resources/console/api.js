// PortBank's HTTP API as the console uses it: JSON in and out, the bearer token, Idempotency-Key, and every
// failure turned into one shape, a problem (RFC 9457) with the Retry-After a 429 or 503 carries.

/** A URL of this PortBank, relative to the page, so the console also works behind a path prefix. */
export function apiUrl(path) {
  return new URL(path, document.baseURI).toString();
}

/** The answer to one call: ok with a body, or a problem. */
export class Answer {
  constructor(status, body, problem, retryAfter) {
    this.status = status;
    this.body = body;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get ok() {
    return this.problem === null;
  }

  /** Whether the same submission may be sent again with the same Idempotency-Key and get a different answer. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** The slug at the end of a problem's type. */
export function slug(problem) {
  const type = typeof problem?.type === 'string' ? problem.type : '';
  return type.slice(type.lastIndexOf('/') + 1);
}

/** Calls PortBank; never throws: a network failure is a problem with status 0. */
export async function call(method, path, { token = null, body = undefined, idempotencyKey = null } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return new Answer(0, null, {
      type: 'about:blank#network',
      title: 'No answer',
      detail: 'PortBank did not answer. Try again: sending the same form again cannot pay twice '
        + 'or open a second account.',
    }, null);
  }
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (response.ok) {
    return new Answer(response.status, json, null, retryAfter);
  }
  const problem = json && typeof json === 'object' ? json : {
    title: response.statusText || `HTTP ${response.status}`,
    detail: `PortBank answered ${response.status}`,
  };
  return new Answer(response.status, null, problem, retryAfter);
}

/** Retry-After as seconds from now: either delay-seconds or an HTTP date. */
export function retryAfterSeconds(header) {
  if (header === null || header === undefined || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const when = Date.parse(header);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

/** A random UUID, also where crypto.randomUUID is missing (plain http on a non-local host). */
export function newKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

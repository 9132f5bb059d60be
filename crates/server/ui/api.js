// The JSON API client. The browser authenticates with the HttpOnly session cookie set by
// POST /v1/session; every request that changes state carries `X-Raqib-Request: 1`, which a
// cross-site page cannot add (the server's CSRF guard).

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const listeners = new Set();
/** Called with no argument when an API answer says the session is gone (401). */
export function onSignedOut(fn) {
  listeners.add(fn);
}

export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Raqib-Request'] = '1';
  let payload;
  if (body !== undefined) {
    if (opts.contentType) {
      headers['Content-Type'] = opts.contentType;
      payload = body;
    } else {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', `the server did not answer (${e.message})`);
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const d = data && typeof data === 'object' ? data : {};
    const err = new ApiError(res.status, d.code || 'error', d.message || `${res.status} ${res.statusText}`, d.field);
    if (res.status === 401 && !opts.signingIn) for (const fn of listeners) fn(err);
    throw err;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);

/** Query string from an object, leaving out empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export const enc = encodeURIComponent;

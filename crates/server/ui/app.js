// The app shell: session, navigation and the hash router. Each view module exports
// `render(main, params, ctx)`, which fills `main` and may return a cleanup function (to drop
// key handlers when the analyst leaves the page).

import { get, post, onSignedOut } from './api.js';
import { h, clear, errorBox, typing } from './dom.js';
import * as signin from './view-signin.js';
import * as dashboard from './view-dashboard.js';
import * as screen from './view-screen.js';
import * as entity from './view-entity.js';
import * as queue from './view-queue.js';
import * as hit from './view-hit.js';
import * as alert from './view-alert.js';
import * as cases from './view-cases.js';
import * as audit from './view-audit.js';

const routes = [
  [/^signin$/, signin, () => ({}), 'Sign in'],
  [/^dashboard$/, dashboard, () => ({}), 'Dashboard'],
  [/^screen$/, screen, () => ({}), 'Screening'],
  [/^entity\/(.+)$/, entity, (m) => ({ id: m[1] }), 'Entity'],
  [/^queue$/, queue, () => ({}), 'Review queue'],
  [/^hits\/(.+)$/, hit, (m) => ({ id: m[1] }), 'Hit'],
  [/^alerts\/(.+)$/, alert, (m) => ({ id: m[1] }), 'Alert'],
  [/^cases$/, cases, () => ({ list: true }), 'Cases'],
  [/^cases\/(.+)$/, cases, (m) => ({ id: m[1] }), 'Case'],
  [/^audit$/, audit, () => ({}), 'Audit log'],
];

const main = document.getElementById('main');
const status = document.getElementById('status');
let session = null;
let cleanup = null;
let renderSeq = 0;

/** Says `msg` to screen-reader users through the polite live region. */
export function announce(msg) {
  status.textContent = '';
  // A fresh text node after a tick, so repeating the same message is announced again.
  setTimeout(() => { status.textContent = msg; }, 30);
}

function showSession(s) {
  session = s;
  const signedIn = !!s;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  if (s) {
    document.getElementById('who-member').textContent = `${s.member?.name ?? ''} · ${s.label || s.key_id || ''}`;
    document.getElementById('who-role').textContent = s.role || '';
  }
}

function parseHash() {
  const raw = (location.hash || '').replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { path: path || 'dashboard', query: new URLSearchParams(query) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function route() {
  const seq = ++renderSeq;
  if (cleanup) { try { cleanup(); } catch { /* view already gone */ } cleanup = null; }
  let { path, query } = parseHash();
  if (!session && path !== 'signin') {
    try {
      showSession(await get('/v1/session'));
    } catch {
      showSession(null);
    }
    if (seq !== renderSeq) return;
    if (!session) {
      sessionStorage.setItem('raqib.after', location.hash && !location.hash.startsWith('#/signin') ? location.hash : '#/dashboard');
      location.replace('#/signin');
      return;
    }
  }
  let found = null;
  for (const [re, view, params, title] of routes) {
    const m = path.match(re);
    if (m) { found = { view, params: { ...params(m.map((x) => (x ? decodeURIComponent(x) : x))), query }, title }; break; }
  }
  for (const a of document.querySelectorAll('#nav a')) {
    const on = path === a.dataset.route || path.startsWith(`${a.dataset.route}/`) || (a.dataset.route === 'queue' && /^(hits|alerts)\//.test(path));
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  clear(main);
  if (!found) {
    document.title = 'Not found — raqib';
    main.append(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, 'No page at ', h('code', {}, location.hash), '. ', h('a', { href: '#/dashboard' }, 'Go to the dashboard'), '.'));
    focusHeading();
    return;
  }
  document.title = `${found.title} — raqib`;
  main.setAttribute('aria-busy', 'true');
  try {
    const ctx = { session, announce, navigate, signedIn, isCurrent: () => seq === renderSeq, setTitle: (t) => { document.title = `${t} — raqib`; } };
    const r = await found.view.render(main, found.params, ctx);
    if (seq !== renderSeq) { if (typeof r === 'function') r(); return; }
    if (typeof r === 'function') cleanup = r;
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e && e.status === 401) return; // onSignedOut takes over
    clear(main);
    const title = e && e.status === 404 ? 'Not found' : e && e.status === 403 ? 'Not allowed' : 'Something went wrong';
    main.append(h('h1', { tabindex: '-1' }, title), errorBox(e));
    if (e && e.status === 404) main.append(h('p', {}, 'It does not exist, or it belongs to another member organisation. ', h('a', { href: '#/queue' }, 'Back to the review queue'), '.'));
  } finally {
    if (seq === renderSeq) main.removeAttribute('aria-busy');
  }
  if (seq === renderSeq) focusHeading();
}

/** Moves focus to the new page's heading so keyboard and screen-reader users start there. */
function focusHeading() {
  const h1 = main.querySelector('h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: false }); }
}

export function signedIn(s) {
  showSession(s);
  const after = sessionStorage.getItem('raqib.after') || '#/dashboard';
  sessionStorage.removeItem('raqib.after');
  navigate(after);
}

onSignedOut(() => {
  if (!session) return;
  showSession(null);
  announce('Your session ended; sign in again.');
  sessionStorage.setItem('raqib.after', location.hash || '#/dashboard');
  location.replace('#/signin');
});

document.getElementById('signout').addEventListener('click', async () => {
  try { await post('/v1/session/end'); } catch { /* already ended */ }
  showSession(null);
  sessionStorage.removeItem('raqib.after');
  announce('Signed out.');
  location.replace('#/signin');
});

// `/` jumps to the screening search from anywhere (unless the analyst is typing).
document.addEventListener('keydown', (ev) => {
  if (ev.key === '/' && !typing(ev) && !ev.ctrlKey && !ev.metaKey && !ev.altKey && session) {
    ev.preventDefault();
    const box = document.getElementById('screen-name');
    if (box) box.focus(); else navigate('#/screen');
  }
});

window.addEventListener('hashchange', route);
route();

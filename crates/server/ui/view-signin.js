// Sign-in with a member key. The key is sent once to POST /v1/session, which answers with
// an HttpOnly session cookie; the key itself is never stored by the browser.

import { post } from './api.js';
import { put, h, field, errorBox } from './dom.js';

export async function render(main, _params, ctx) {
  const key = h('input', { type: 'password', name: 'key', id: 'signin-key', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'rqb_…' });
  const err = h('div', { id: 'signin-error' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-title', novalidate: true },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h('p', {}, 'Use the key your member organisation gave you (analyst or admin role). You will see only your organisation’s screenings, alerts and cases.'),
    field('Member key', key, 'The key is exchanged for a session cookie valid for 12 hours; it is not kept in the browser.'),
    err,
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    const value = key.value.trim();
    if (!value) {
      err.append(errorBox(new Error('Enter your member key.')));
      key.setAttribute('aria-invalid', 'true');
      key.focus();
      return;
    }
    button.disabled = true;
    try {
      const s = await post('/v1/session', { key: value }, { signingIn: true });
      key.value = '';
      ctx.announce(`Signed in as ${s.member?.name ?? 'member'}.`);
      ctx.signedIn(s);
    } catch (e) {
      key.setAttribute('aria-invalid', 'true');
      err.append(errorBox(e.status === 401 ? new Error('That key was not accepted (unknown, revoked or mistyped).') : e));
      key.focus();
    } finally {
      button.disabled = false;
    }
  });
  put(main, form);
  setTimeout(() => key.focus(), 0);
}

// The audit log of the member: every sign-in, decision, case change and list reload, with
// who and when, append-only and hash-chained (the chain check is shown when the server
// gives it). Newest first; filter by action.

import { get, qs } from './api.js';
import { put, h, heading, field, table, time, errorBox, label, badge } from './dom.js';

const PAGE = 1000;
const MAX = 20000;

function detailText(raw) {
  let d = raw;
  if (typeof raw === 'string') { try { d = JSON.parse(raw); } catch { return raw; } }
  if (!d || typeof d !== 'object') return String(d ?? '');
  return Object.entries(d).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${label(k)}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
}

export async function render(main, params, ctx) {
  const action = h('input', { name: 'action', value: params.query?.get('action') || '', autocomplete: 'off', list: 'audit-actions' });
  const actions = h('datalist', { id: 'audit-actions' });
  const text = h('input', { name: 'q', type: 'search', autocomplete: 'off', value: params.query?.get('q') || '' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': 'Filter the audit log' },
    h('div', { class: 'row' }, field('Action', action, 'e.g. decision.recorded, alert.decided, case.created, session.signed_in'), actions,
      h('div', { class: 'grow' }, field('Contains', text)), h('div', { class: 'field end' }, h('button', { type: 'submit' }, 'Apply'))));
  put(main, heading('Audit log'), h('p', { class: 'muted' }, 'Append-only: entries are never changed or removed; each entry’s hash covers the one before it.'), form, out);

  async function load() {
    const u = qs({ action: action.value.trim(), q: text.value.trim() });
    history.replaceState(null, '', `#/audit${u}`);
    let entries = [];
    let after = 0;
    let chain = null;
    for (;;) {
      const res = await get(`/v1/audit${qs({ after, limit: PAGE, action: action.value.trim() })}`);
      const got = res.entries || [];
      if (typeof res.chain_ok === 'boolean') chain = res.chain_ok;
      entries = entries.concat(got);
      if (got.length < PAGE || entries.length >= MAX) break;
      after = got[got.length - 1].seq;
    }
    if (!ctx.isCurrent()) return;
    const known = new Set(entries.map((e) => e.action));
    actions.replaceChildren(...[...known].sort().map((a) => h('option', { value: a })));
    const want = action.value.trim();
    const needle = text.value.trim().toLowerCase();
    const shown = entries
      .filter((e) => !want || e.action === want)
      .filter((e) => !needle || JSON.stringify(e).toLowerCase().includes(needle))
      .reverse();
    const rows = shown.map((e) => h('tr', { dataset: { action: e.action } },
      h('td', { class: 'num' }, e.seq),
      h('td', {}, time(e.at)),
      h('td', {}, e.actor_label ? [e.actor_label, ' ', h('code', { class: 'muted' }, e.actor)] : h('code', {}, e.actor)),
      h('td', {}, h('code', {}, e.action)),
      h('td', {}, e.object_type ? `${e.object_type} ` : '', e.object_id ? h('code', {}, e.object_id) : ''),
      h('td', { class: 'detail', dir: 'auto' }, detailText(e.detail))));
    out.replaceChildren(
      h('p', {}, `${shown.length} entr${shown.length === 1 ? 'y' : 'ies'}, newest first. `,
        chain === null ? null : chain ? badge('hash chain verified', 'ok') : badge('hash chain BROKEN', 'bad')),
      table(null, ['#', 'When', 'Who', 'Action', 'Object', 'Detail'], rows, { empty: 'No entries.', class: 'grid audit' }));
    ctx.announce(`${shown.length} audit entries.`);
  }
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load().catch((e) => out.replaceChildren(errorBox(e))); });
  await load();
}

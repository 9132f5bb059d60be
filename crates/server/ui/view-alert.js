// One monitoring alert: what fired and why (summary, the aggregates the detector computed,
// the score parts), the accounts and flows as a server-drawn SVG graph, the transactions,
// decisions and the cases it belongs to.

import { get, post, enc } from './api.js';
import { put, h, heading, name, statusBadge, table, time, label, dl, badge } from './dom.js';
import { decisionForm, decisionsTable, decisionKeys } from './view-hit.js';
import { addToCaseForm } from './view-cases.js';

function money(v, cur) {
  if (typeof v !== 'number') return v ?? '–';
  return `${v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${cur ? ` ${cur}` : ''}`;
}

/** An account, with the holder's name (right-to-left when Arabic) and country when known. */
function party(acct, holder, country) {
  return [h('bdi', { dir: 'auto' }, acct), holder ? [' ', name(holder, { class: 'muted' })] : null, country ? ` (${country})` : null];
}

function factValue(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', { maximumFractionDigits: 3 });
  if (Array.isArray(v)) return v.length <= 12 ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : `${v.slice(0, 12).join(', ')} … (${v.length})`;
  if (typeof v === 'object') return dl(Object.entries(v).map(([k, x]) => [label(k), factValue(x)]), 'facts nested');
  return String(v);
}

export async function render(main, params, ctx) {
  const d = await get(`/v1/alerts/${enc(params.id)}`);
  if (!ctx.isCurrent()) return;
  const a = d.alert || {};
  const ex = a.explanation || {};
  const decided = (d.decisions || []).at(-1);
  const key = (d.graph?.nodes || []).find((n) => n.role === 'key')?.id || a.accounts?.[0];
  ctx.setTitle(`Alert ${label(a.typology)} ${key || ''}`);
  const statusEl = h('span', {}, statusBadge(d.status || (decided ? decided.decision : 'open')));
  const history = h('div', {}, decisionsTable(d.decisions));
  const form = decisionForm(async (decision, comment) => {
    await post(`/v1/alerts/${enc(params.id)}/decision`, { decision, comment });
    const fresh = await get(`/v1/alerts/${enc(params.id)}`);
    history.replaceChildren(decisionsTable(fresh.decisions));
    statusEl.replaceChildren(statusBadge(decision));
    ctx.announce(`Decision recorded: ${label(decision)}.`);
  }, null, { label: 'Decide on this alert' });

  const nodes = d.graph?.nodes || [];
  const edges = d.graph?.edges || [];
  const graphAlt = `Flows of the ${label(a.typology)} alert: ${nodes.length} accounts and ${edges.length} flows around key account ${key}${nodes.some((n) => n.listed) ? '; listed accounts are marked' : ''}. The table of flows below gives the same data.`;
  const img = h('img', { src: `/v1/alerts/${enc(params.id)}/graph.svg`, alt: graphAlt, class: 'graph', id: 'alert-graph', decoding: 'async' });
  const graphErr = h('p', { class: 'muted', hidden: true }, 'The graph could not be drawn; the flows are listed below.');
  img.addEventListener('error', () => { img.hidden = true; graphErr.hidden = false; });

  const txRows = (d.transactions || []).map((t) => h('tr', {},
    h('td', {}, h('code', {}, t.tx_id)),
    h('td', {}, time(t.timestamp)),
    h('td', { class: t.orig_acct === key ? 'key-acct' : '' }, party(t.orig_acct, t.orig_name, t.orig_country)),
    h('td', { class: t.bene_acct === key ? 'key-acct' : '' }, party(t.bene_acct, t.bene_name, t.bene_country)),
    h('td', { class: 'num' }, money(t.amount)),
    h('td', {}, t.currency || '')));
  const total = (d.transactions || []).reduce((s, t) => s + (typeof t.amount === 'number' ? t.amount : 0), 0);

  put(main, 
    h('h1', {}, `Alert: ${label(a.typology)} on `, h('bdi', { dir: 'auto' }, key || '–')),
    h('p', { class: 'lede' }, h('strong', {}, `${Math.round(a.score ?? 0)}/100`), ' ', statusEl, ' ', a.decision ? badge(`engine: ${a.decision}`, a.decision === 'block' ? 'bad' : 'warn') : null,
      ` · engine revision ${a.revision ?? 1}${d.revisions > 1 ? ` (${d.revisions} stored)` : ''} · first seen `, time(a.first_seen), ' · last seen ', time(a.last_seen)),
    (d.case_ids || []).length ? h('p', {}, 'In case ', d.case_ids.map((c, i) => [i ? ', ' : '', h('a', { href: `#/cases/${enc(c)}` }, c)])) : null,
    h('section', { 'aria-labelledby': 'why-h', class: 'card' },
      heading('Why it fired', 2, { id: 'why-h' }),
      h('p', { class: 'summary' }, ex.summary || ''),
      h('p', { class: 'muted small' }, 'Window ', time(ex.window_start), ' – ', time(ex.window_end)),
      heading('Aggregates', 3),
      ex.facts && typeof ex.facts === 'object' ? dl(Object.entries(ex.facts).map(([k, v]) => [label(k), factValue(v)])) : h('p', {}, '–'),
      (ex.score_parts || []).length ? [heading('Score', 3), table(null, ['Reason', 'Points'], ex.score_parts.map((p) => h('tr', {}, h('td', {}, p.reason), h('td', { class: 'num' }, factValue(p.points)))), { class: 'grid compact' })] : null,
      (ex.paths || []).length ? [heading('Paths', 3), h('ol', {}, ex.paths.map((p) => h('li', {}, p.map((x, i) => [i ? ' → ' : '', h('bdi', { dir: 'auto' }, x)]))))] : null),
    h('section', { 'aria-labelledby': 'graph-h', class: 'card' },
      heading('Accounts and flows', 2, { id: 'graph-h' }),
      h('figure', {}, img, graphErr, h('figcaption', { class: 'muted small' }, `Key account ${key || '–'} highlighted; arrows carry the amounts.`)),
      edges.length ? h('details', {}, h('summary', {}, `Flows as a table (${edges.length})`),
        table(null, ['From', 'To', 'Amount', 'Transfers'], edges.map((e) => h('tr', {},
          h('td', {}, h('bdi', { dir: 'auto' }, e.from)), h('td', {}, h('bdi', { dir: 'auto' }, e.to)), h('td', { class: 'num' }, money(e.amount)), h('td', { class: 'num' }, e.count))), { class: 'grid compact' })) : null),
    h('section', { 'aria-labelledby': 'tx-h', class: 'card' },
      heading(`Transactions (${(d.transactions || []).length}, total ${money(total)})`, 2, { id: 'tx-h' }),
      table(null, ['Id', 'Time', 'From', 'To', 'Amount', 'Currency'], txRows, { empty: 'No transactions stored.' })),
    h('section', { 'aria-labelledby': 'dec-h', class: 'card' },
      heading('Decision', 2, { id: 'dec-h' }),
      form,
      heading('History', 3),
      history),
    h('section', { 'aria-labelledby': 'case-h', class: 'card' },
      heading('Case', 2, { id: 'case-h' }),
      (d.case_ids || []).length ? h('p', {}, 'Already in ', d.case_ids.map((c, i) => [i ? ', ' : '', h('a', { href: `#/cases/${enc(c)}` }, c)]), '.') : null,
      addToCaseForm('alert', params.id, key || params.id, ctx, d.case_ids || [])));
  return decisionKeys(form);
}

// The review queue: hits and alerts of the member together, filtered and sorted, worked from
// the keyboard. j/k move, Enter opens, t/f/e decide (true match / false positive /
// escalate, with a required comment), x selects for a case, c creates a case from the
// selection.

import { get, post, qs, enc } from './api.js';
import { put, h, heading, field, select, name, statusBadge, time, errorBox, typing, label } from './dom.js';
import { decisionDialog } from './view-hit.js';

const PAGE = 50;

function itemHref(it) {
  return it.kind === 'alert' ? `#/alerts/${enc(it.id)}` : `#/hits/${enc(it.id)}`;
}

function decisionPath(it) {
  return it.kind === 'alert' ? `/v1/alerts/${enc(it.id)}/decision` : `/v1/hits/${enc(it.id)}/decision`;
}

export async function render(main, params, ctx) {
  const q = params.query || new URLSearchParams();
  const state = {
    kind: q.get('kind') || 'all',
    status: q.get('status') || 'open',
    sort: q.get('sort') || 'score',
    order: q.get('order') || 'desc',
    q: q.get('q') || '',
    offset: Number(q.get('offset') || 0) || 0,
  };
  const f = {
    kind: select('kind', [['all', 'Hits and alerts'], ['hit', 'Hits'], ['alert', 'Alerts']], state.kind),
    status: select('status', [['open', 'Open'], ['decided', 'Decided'], ['all', 'All']], state.status),
    sort: select('sort', [['score', 'Score'], ['time', 'Time']], state.sort),
    order: select('order', [['desc', 'Highest / newest first'], ['asc', 'Lowest / oldest first']], state.order),
    q: h('input', { type: 'search', name: 'q', value: state.q, autocomplete: 'off', dir: 'auto' }),
  };
  const filters = h('form', { class: 'card filters', role: 'search', 'aria-label': 'Filter the queue' },
    h('div', { class: 'row' },
      field('Show', f.kind), field('Status', f.status), field('Sort by', f.sort), field('Order', f.order),
      h('div', { class: 'grow' }, field('Subject or title contains', f.q)),
      h('div', { class: 'field end' }, h('button', { type: 'submit' }, 'Apply'))));
  const summary = h('p', { id: 'queue-summary', class: 'muted', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const tableEl = h('table', { class: 'grid queue', id: 'queue-table', 'aria-describedby': 'queue-help' },
    h('caption', { class: 'visually-hidden' }, 'Review queue'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Select')),
      ['Kind', 'Subject', 'Matched / typology', 'Score', 'Status', 'Created', 'Cases'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody);
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const caseBtn = h('button', { type: 'button', id: 'create-case', disabled: true }, 'Create case from selected');
  const err = h('div');
  put(main, heading('Review queue'), filters,
    h('p', { id: 'queue-help', class: 'muted small' }, 'Keys: ', h('kbd', {}, 'j'), '/', h('kbd', {}, 'k'), ' move, ', h('kbd', {}, 'Enter'), ' open, ',
      h('kbd', {}, 't'), ' true match, ', h('kbd', {}, 'f'), ' false positive, ', h('kbd', {}, 'e'), ' escalate (each asks for a comment), ',
      h('kbd', {}, 'x'), ' select, ', h('kbd', {}, 'c'), ' create a case from the selection.'),
    err, h('div', { class: 'toolbar' }, summary, caseBtn), h('div', { class: 'table-wrap' }, tableEl), pager);

  let items = [];
  let cur = 0;
  const selected = new Map();

  function syncUrl() {
    const u = qs({ kind: state.kind !== 'all' ? state.kind : '', status: state.status !== 'open' ? state.status : '', sort: state.sort !== 'score' ? state.sort : '', order: state.order !== 'desc' ? state.order : '', q: state.q, offset: state.offset || '' });
    history.replaceState(null, '', `#/queue${u}`);
  }

  function updateCaseBtn() {
    caseBtn.disabled = selected.size === 0;
    caseBtn.textContent = selected.size ? `Create case from selected (${selected.size})` : 'Create case from selected';
  }

  function highlight(i, focus = true) {
    const rows = tbody.querySelectorAll('tr[data-index]');
    if (!rows.length) return;
    cur = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, j) => {
      r.classList.toggle('current', j === cur);
      if (j === cur) r.setAttribute('aria-current', 'true'); else r.removeAttribute('aria-current');
    });
    if (focus) rows[cur].querySelector('a').focus({ preventScroll: false });
  }

  function row(it, i) {
    const box = h('input', { type: 'checkbox', 'aria-label': `Select ${it.kind} ${it.subject}`, checked: selected.has(`${it.kind}:${it.id}`) });
    box.addEventListener('change', () => {
      if (box.checked) selected.set(`${it.kind}:${it.id}`, it); else selected.delete(`${it.kind}:${it.id}`);
      updateCaseBtn();
    });
    const tr = h('tr', { dataset: { index: String(i), kind: it.kind, id: it.id } },
      h('td', {}, box),
      h('td', {}, label(it.kind)),
      h('td', {}, h('a', { href: itemHref(it) }, name(it.subject || '–'))),
      h('td', {}, it.kind === 'alert' ? label(it.title || it.typology) : name(it.title || '')),
      h('td', { class: 'num' }, it.score_display || (typeof it.score === 'number' ? it.score.toFixed(3) : '–')),
      h('td', { class: 'status' }, statusBadge(it.status)),
      h('td', {}, time(it.created_at)),
      h('td', {}, (it.case_ids || []).map((c, k) => [k ? ', ' : '', h('a', { href: `#/cases/${enc(c)}` }, c)])));
    tr.addEventListener('click', (ev) => { if (!ev.target.closest('a,input')) highlight(i, false); });
    tr.addEventListener('focusin', () => highlight(i, false));
    return tr;
  }

  async function load(focusRow = false) {
    err.replaceChildren();
    syncUrl();
    let res;
    try {
      res = await get(`/v1/queue${qs({ kind: state.kind, status: state.status, sort: state.sort, order: state.order, q: state.q, limit: PAGE, offset: state.offset })}`);
    } catch (e) {
      err.append(errorBox(e));
      return;
    }
    if (!ctx.isCurrent()) return;
    items = res.items || [];
    tbody.replaceChildren(...(items.length ? items.map(row) : [h('tr', {}, h('td', { colspan: '8', class: 'empty' }, 'Nothing to review with these filters.'))]));
    const total = res.total ?? items.length;
    summary.textContent = total ? `${total} item${total === 1 ? '' : 's'}; showing ${state.offset + 1}–${state.offset + items.length}.` : 'The queue is empty.';
    ctx.announce(summary.textContent);
    pager.replaceChildren(
      h('button', { type: 'button', disabled: state.offset === 0, on: { click: () => { state.offset = Math.max(0, state.offset - PAGE); load(true); } } }, 'Previous page'),
      ' ',
      h('button', { type: 'button', disabled: state.offset + items.length >= total, on: { click: () => { state.offset += PAGE; load(true); } } }, 'Next page'));
    if (items.length) highlight(Math.min(cur, items.length - 1), focusRow);
  }

  function decide(decision) {
    const it = items[cur];
    if (!it) return;
    decisionDialog(`Decide: ${label(it.kind)} ${it.subject} — ${it.title || ''}`, async (d, comment) => {
      await post(decisionPath(it), { decision: d, comment });
      it.status = d;
      const tr = tbody.querySelector(`tr[data-index="${cur}"] td.status`);
      if (tr) tr.replaceChildren(statusBadge(d));
      ctx.announce(`${label(it.kind)} ${it.subject}: ${label(d)} recorded.`);
      setTimeout(() => highlight(cur + 1), 0);
    }, decision);
  }

  function createCase() {
    if (!selected.size) return;
    const picked = [...selected.values()];
    const first = picked[0];
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'case-dlg-h' });
    const title = h('input', { name: 'title', required: true, value: `${first.subject} — ${picked.length} item${picked.length === 1 ? '' : 's'}`, dir: 'auto' });
    const subject = h('input', { name: 'subject', required: true, value: first.subject || '', dir: 'auto' });
    const assignee = h('input', { name: 'assignee', value: ctx.session?.label || '' });
    const e2 = h('div');
    const form = h('form', {},
      field('Title', title), field('Subject (customer, account or person)', subject), field('Assignee', assignee),
      h('p', { class: 'muted small' }, `Items: ${picked.map((p) => `${p.kind} ${p.subject}`).join('; ')}`),
      e2,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create case'), h('button', { type: 'button', class: 'link', on: { click: () => dlg.close() } }, 'Cancel')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      e2.replaceChildren();
      try {
        const body = { title: title.value.trim(), subject: subject.value.trim(), items: picked.map((p) => ({ kind: p.kind, id: p.id })) };
        if (assignee.value.trim()) body.assignee = assignee.value.trim();
        const c = await post('/v1/cases', body);
        const id = c.case?.id || c.id;
        dlg.close();
        ctx.announce('Case created.');
        ctx.navigate(`#/cases/${enc(id)}`);
      } catch (e) {
        e2.append(errorBox(e));
      }
    });
    dlg.append(h('h2', { id: 'case-dlg-h' }, 'New case'), form);
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
    title.focus();
  }
  caseBtn.addEventListener('click', createCase);

  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const k of ['kind', 'status', 'sort', 'order']) state[k] = f[k].value;
    state.q = f.q.value.trim();
    state.offset = 0;
    load();
  });
  for (const k of ['kind', 'status', 'sort', 'order']) f[k].addEventListener('change', () => filters.requestSubmit());

  const onKey = (ev) => {
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey || document.querySelector('dialog[open]')) return;
    const keys = {
      j: () => highlight(cur + 1), k: () => highlight(cur - 1),
      t: () => decide('true_match'), f: () => decide('false_positive'), e: () => decide('escalate'),
      x: () => { const b = tbody.querySelector(`tr[data-index="${cur}"] input[type=checkbox]`); if (b) { b.click(); } },
      c: () => createCase(),
      Enter: () => { if (items[cur]) ctx.navigate(itemHref(items[cur])); },
    };
    // Enter on a link or button keeps its own meaning.
    if (ev.key === 'Enter' && ev.target.closest && ev.target.closest('a,button')) return;
    const fn = keys[ev.key];
    if (fn) { ev.preventDefault(); fn(); }
  };
  document.addEventListener('keydown', onKey);
  await load();
  return () => document.removeEventListener('keydown', onKey);
}

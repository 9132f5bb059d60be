// Cases: the member's cases by status, a new case, and one case with its items (hits and
// alerts), status and assignee (each change with a comment, kept as append-only events),
// notes, history, and the printable report for a suspicious-transaction report.

import { get, post, qs, enc } from './api.js';
import { put, h, heading, field, select, name, statusBadge, table, time, errorBox, label } from './dom.js';

const STATUSES = [['open', 'Open'], ['escalated', 'Escalated'], ['closed', 'Closed']];

async function renderList(main, params, ctx) {
  const status = params.query?.get('status') || 'all';
  const filter = select('status', [['all', 'All'], ...STATUSES], status);
  const list = h('div', { 'aria-live': 'polite' });
  const title = h('input', { name: 'title', required: true, dir: 'auto' });
  const subject = h('input', { name: 'subject', required: true, dir: 'auto' });
  const assignee = h('input', { name: 'assignee' });
  const err = h('div');
  const create = h('form', { class: 'card', 'aria-labelledby': 'new-case-h' },
    heading('New case', 2, { id: 'new-case-h' }),
    h('div', { class: 'row' }, h('div', { class: 'grow' }, field('Title', title)), h('div', { class: 'grow' }, field('Subject', subject)), field('Assignee', assignee)),
    h('p', { class: 'muted small' }, 'To start a case from hits and alerts, select them in the ', h('a', { href: '#/queue' }, 'review queue'), '.'),
    err,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create case')));
  create.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    try {
      const body = { title: title.value.trim(), subject: subject.value.trim(), items: [] };
      if (assignee.value.trim()) body.assignee = assignee.value.trim();
      const c = await post('/v1/cases', body);
      ctx.navigate(`#/cases/${enc(c.case?.id || c.id)}`);
    } catch (e) {
      err.append(errorBox(e));
    }
  });
  put(main, heading('Cases'),
    h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter cases' }, h('div', { class: 'row' }, field('Status', filter))),
    list, create);
  async function load() {
    const st = filter.value;
    history.replaceState(null, '', `#/cases${st !== 'all' ? `?status=${st}` : ''}`);
    const res = await get(`/v1/cases${qs({ status: st })}`);
    if (!ctx.isCurrent()) return;
    const rows = (res.items || []).map((c) => h('tr', {},
      h('td', {}, h('a', { href: `#/cases/${enc(c.id)}` }, h('bdi', { dir: 'auto' }, c.title))),
      h('td', {}, name(c.subject || '')),
      h('td', {}, statusBadge(c.status)),
      h('td', {}, c.assignee || '–'),
      h('td', { class: 'num' }, c.items ?? 0),
      h('td', {}, time(c.created_at)),
      h('td', {}, time(c.updated_at))));
    list.replaceChildren(h('p', { class: 'muted' }, `${res.total ?? rows.length} case${(res.total ?? rows.length) === 1 ? '' : 's'}`),
      table(null, ['Title', 'Subject', 'Status', 'Assignee', 'Items', 'Created', 'Updated'], rows, { empty: 'No cases.' }));
  }
  filter.addEventListener('change', () => load().catch((e) => list.replaceChildren(errorBox(e))));
  await load();
}

function itemHref(it) {
  return it.kind === 'alert' ? `#/alerts/${enc(it.id)}` : `#/hits/${enc(it.id)}`;
}

async function renderCase(main, params, ctx) {
  const id = params.id;
  const body = h('div');
  put(main, body);

  async function load() {
    const d = await get(`/v1/cases/${enc(id)}`);
    if (!ctx.isCurrent()) return;
    const c = d.case || {};
    ctx.setTitle(`Case ${c.title || id}`);
    body.replaceChildren(view(d));
  }

  function action(path, build, done, fields, submitText, formLabel) {
    const err = h('div');
    const form = h('form', { class: 'inline-form', 'aria-label': formLabel }, fields, err, h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitText)));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.replaceChildren();
      let payload;
      try { payload = build(); } catch (e) { err.append(errorBox(e)); return; }
      try {
        await post(path, payload);
        ctx.announce(done);
        await load();
      } catch (e) {
        err.append(errorBox(e));
      }
    });
    return form;
  }

  function view(d) {
    const c = d.case || {};
    const base = `/v1/cases/${enc(id)}`;
    const statusSel = select('status', STATUSES, c.status || 'open');
    const statusComment = h('input', { name: 'comment', dir: 'auto' });
    const assignee = h('input', { name: 'assignee', value: c.assignee || '' });
    const note = h('textarea', { name: 'text', rows: '3', dir: 'auto' });
    const itemKind = select('kind', [['hit', 'Hit'], ['alert', 'Alert']], 'hit');
    const itemId = h('input', { name: 'id', autocomplete: 'off' });
    const need = (el, what) => { const v = el.value.trim(); if (!v) { el.setAttribute('aria-invalid', 'true'); el.focus(); throw new Error(`${what} is required.`); } el.removeAttribute('aria-invalid'); return v; };

    const items = (d.items || []).map((it) => h('tr', {},
      h('td', {}, label(it.kind)),
      h('td', {}, h('a', { href: itemHref(it) }, name(it.subject || it.id))),
      h('td', {}, it.kind === 'alert' ? label(it.title) : name(it.title || '')),
      h('td', { class: 'num' }, it.score_display || (typeof it.score === 'number' ? (it.kind === 'alert' && it.score > 1 ? `${Math.round(it.score)}/100` : it.score.toFixed(3)) : (it.score ?? '–'))),
      h('td', {}, statusBadge(it.status))));
    const notes = (d.notes || []).map((n) => h('li', { class: 'note' },
      h('p', { class: 'note-meta muted small' }, n.author_label || n.author || '', ' · ', time(n.created_at)), h('p', { dir: 'auto' }, n.text)));
    const hist = (d.history || []).map((e) => h('tr', {},
      h('td', {}, time(e.at)), h('td', {}, e.actor_label || e.actor || ''), h('td', {}, label(e.action)),
      h('td', { dir: 'auto' }, typeof e.detail === 'object' && e.detail !== null ? Object.entries(e.detail).map(([k, v]) => `${label(k)}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ') : (e.detail ?? ''))));
    const reportUrl = `${base}/report`;
    const openReport = (print) => {
      const w = window.open(reportUrl, '_blank');
      if (w && print) w.addEventListener('load', () => w.print());
    };

    return h('div', {},
      h('h1', {}, 'Case: ', h('bdi', { dir: 'auto' }, c.title || id)),
      h('p', { class: 'lede' }, 'Subject ', name(c.subject || '–'), ' · ', statusBadge(c.status), ' · assignee ', h('strong', {}, c.assignee || 'nobody'),
        ' · opened ', time(c.created_at), c.created_by ? ` by ${c.created_by}` : ''),
      h('p', { class: 'actions' },
        h('a', { class: 'button', id: 'case-report', href: reportUrl, target: '_blank', rel: 'noopener', on: { click: (ev) => { ev.preventDefault(); openReport(false); } } }, 'Export report'),
        ' ',
        h('button', { type: 'button', on: { click: () => openReport(true) } }, 'Print report')),
      h('div', { class: 'split' },
        h('section', { class: 'card', 'aria-labelledby': 'status-h' },
          heading('Status and assignee', 2, { id: 'status-h' }),
          action(`${base}/status`, () => ({ status: statusSel.value, comment: statusComment.value.trim() }), 'Status changed.',
            [field('Status', statusSel), field('Comment', statusComment)], 'Change status', 'Change status'),
          action(`${base}/assignee`, () => ({ assignee: need(assignee, 'The assignee') }), 'Assignee changed.',
            [field('Assignee', assignee)], 'Assign', 'Assign')),
        h('section', { class: 'card', 'aria-labelledby': 'notes-h' },
          heading(`Notes (${notes.length})`, 2, { id: 'notes-h' }),
          notes.length ? h('ol', { class: 'notes-list' }, notes) : h('p', { class: 'muted' }, 'No notes yet.'),
          action(`${base}/notes`, () => ({ text: need(note, 'The note') }), 'Note added.', [field('New note', note)], 'Add note', 'Add a note'))),
      h('section', { class: 'card', 'aria-labelledby': 'items-h' },
        heading(`Items (${items.length})`, 2, { id: 'items-h' }),
        table(null, ['Kind', 'Subject', 'Matched / typology', 'Score', 'Status'], items, { empty: 'No hits or alerts in this case yet.' }),
        action(`${base}/items`, () => ({ kind: itemKind.value, id: need(itemId, 'The id') }), 'Item added.',
          h('div', { class: 'row' }, field('Kind', itemKind), h('div', { class: 'grow' }, field('Hit or alert id', itemId))), 'Add item', 'Add an item')),
      h('section', { class: 'card', 'aria-labelledby': 'hist-h' },
        heading('History', 2, { id: 'hist-h' }),
        table(null, ['When', 'Who', 'What', 'Detail'], hist, { empty: 'No events.' })));
  }

  await load();
}

export async function render(main, params, ctx) {
  if (params.id) return renderCase(main, params, ctx);
  return renderList(main, params, ctx);
}

/**
 * "Add to case" for a hit or an alert page: the member's open and escalated cases in a
 * select, or a new case named after the item.
 */
export function addToCaseForm(kind, id, subject, ctx, caseIds = []) {
  const pick = h('select', { name: 'case' }, h('option', { value: '' }, 'Loading cases…'));
  const err = h('div');
  const form = h('form', { class: 'inline-form', 'aria-label': 'Add to a case' },
    h('div', { class: 'row' }, h('div', { class: 'grow' }, field('Case', pick)), h('div', { class: 'field end' }, h('button', { type: 'submit' }, 'Add to case'))),
    err);
  (async () => {
    try {
      const [open, esc] = await Promise.all([get('/v1/cases?status=open'), get('/v1/cases?status=escalated')]);
      const cases = [...(open.items || []), ...(esc.items || [])].filter((c) => !caseIds.includes(c.id));
      pick.replaceChildren(
        h('option', { value: '' }, 'New case for this item'),
        ...cases.map((c) => h('option', { value: c.id }, `${c.title} (${c.status})`)));
    } catch (e) {
      err.append(errorBox(e));
    }
  })();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    try {
      let target = pick.value;
      if (target) {
        await post(`/v1/cases/${enc(target)}/items`, { kind, id });
      } else {
        const c = await post('/v1/cases', { title: `${subject} — ${kind}`, subject, items: [{ kind, id }] });
        target = c.case?.id || c.id;
      }
      ctx.announce('Added to the case.');
      ctx.navigate(`#/cases/${enc(target)}`);
    } catch (e) {
      err.append(errorBox(e));
    }
  });
  return form;
}

// Dashboard: the member's open work (hits, alerts, cases by status) and the lists in force
// with their publication dates, so an analyst sees at a glance whether lists are stale.

import { get } from './api.js';
import { put, h, heading, table, time, errorBox } from './dom.js';

function stat(labelText, value, href) {
  const body = [h('span', { class: 'stat-value' }, value ?? '–'), h('span', { class: 'stat-label' }, labelText)];
  return h('li', { class: 'stat' }, href ? h('a', { href }, body) : body);
}

function ageDays(date) {
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : Math.floor((Date.now() - t) / 86400000);
}

export async function render(main, _params, ctx) {
  put(main, heading('Dashboard'));
  let d;
  try {
    d = await get('/v1/dashboard');
  } catch (e) {
    if (e.status !== 404) throw e;
    // The dashboard route may not exist on an older server; fall back to the lists alone.
    const lists = await get('/v1/lists');
    d = { member: ctx.session?.member, lists: lists.lists, lists_version: lists.lists_version, loaded_at: lists.loaded_at };
    put(main, errorBox(new Error('This server has no dashboard endpoint; showing the lists only.')));
  }
  if (!ctx.isCurrent()) return;
  put(main, h('p', { class: 'lede' }, 'Member: ', h('strong', {}, d.member?.name ?? '–')));
  const c = d.cases || {};
  put(main, h('section', { 'aria-labelledby': 'work-h' },
    heading('Open work', 2, { id: 'work-h' }),
    h('ul', { class: 'stats' },
      stat('open hits', d.open_hits, '#/queue?kind=hit&status=open'),
      stat('open alerts', d.open_alerts, '#/queue?kind=alert&status=open'),
      stat('open cases', c.open, '#/cases?status=open'),
      stat('escalated cases', c.escalated, '#/cases?status=escalated'),
      stat('closed cases', c.closed, '#/cases?status=closed'),
      stat('screenings today', d.screenings_today))));
  const lists = Array.isArray(d.lists) ? d.lists : [];
  const rows = lists.map((l) => {
    const age = ageDays(l.published);
    return h('tr', {},
      h('th', { scope: 'row' }, l.source),
      h('td', {}, l.published || '–', age !== null && age > 60 ? [' ', h('span', { class: 'badge badge-warn', title: `published ${age} days ago: check for a newer list` }, `${age} days old`)] : null),
      h('td', { class: 'num' }, (l.entities ?? 0).toLocaleString('en')),
      h('td', { class: 'num' }, (l.names ?? 0).toLocaleString('en')),
      h('td', { class: 'num' }, l.warnings ?? 0),
      h('td', {}, h('code', {}, l.origin || '')));
  });
  put(main, h('section', { 'aria-labelledby': 'lists-h' },
    heading('Lists in force', 2, { id: 'lists-h' }),
    table(null, ['List', 'Published', 'Entities', 'Names', 'Warnings', 'Origin'], rows, { empty: 'No lists loaded.' }),
    d.loaded_at ? h('p', { class: 'muted small' }, 'Loaded ', time(d.loaded_at), d.lists_version ? ` · version ${d.lists_version}` : '') : null));
  put(main, h('p', {}, h('a', { class: 'button primary', href: '#/screen' }, 'Screen a name'), ' ', h('a', { class: 'button', href: '#/queue' }, 'Open the review queue')));
}

// One listed entity: every name in every script (Arabic right-to-left, tagged lang="ar"),
// dates, places, nationalities, documents, addresses, programmes, remarks.

import { get, enc } from './api.js';
import { put, h, heading, name, table, dl, partialDate, label, badge } from './dom.js';

function birthDate(b) {
  if (!b) return '–';
  const from = partialDate(b.from);
  const to = partialDate(b.to);
  return `${b.circa ? 'circa ' : ''}${from === to ? from : `${from} – ${to}`}`;
}

export async function render(main, params, ctx) {
  const e = await get(`/v1/entities/${enc(params.id)}`);
  if (!ctx.isCurrent()) return;
  ctx.setTitle(e.caption || e.id);
  const names = (e.names || []).map((n) => h('tr', { class: `q-${n.quality}` },
    h('td', {}, name(n.value)),
    h('td', {}, label(n.kind)),
    h('td', {}, n.quality === 'weak' ? badge('weak', 'warn') : label(n.quality)),
    h('td', {}, label(n.script)),
    h('td', {}, n.language || '')));
  const countries = (e.countries || []).map((c) => `${c.code} (${label(c.relation)})`).join(', ');
  put(main, 
    h('h1', {}, name(e.caption || e.id)),
    h('p', { class: 'lede' }, h('code', {}, e.id), ' · ', badge(e.source), ' · ', label(e.schema), e.listed_on ? ` · listed ${partialDate(e.listed_on)}` : ''),
    h('section', { 'aria-labelledby': 'names-h' },
      heading(`Names (${(e.names || []).length})`, 2, { id: 'names-h' }),
      table(null, ['Name', 'Kind', 'Quality', 'Script', 'Language'], names)),
    h('section', { 'aria-labelledby': 'id-h' },
      heading('Identifiers', 2, { id: 'id-h' }),
      dl([
        ['Birth dates', (e.birth_dates || []).map(birthDate).join('; ')],
        ['Birth places', (e.birth_places || []).join('; ')],
        ['Gender', e.gender ? label(e.gender) : ''],
        ['Nationality and countries', countries],
        ['Programmes', (e.programs || []).join('; ')],
        ['Lists version', e.lists_version],
      ])),
    h('section', { 'aria-labelledby': 'docs-h' },
      heading('Documents', 2, { id: 'docs-h' }),
      table(null, ['Kind', 'Number', 'Country', 'Note'], (e.documents || []).map((d) => h('tr', {},
        h('td', {}, d.kind), h('td', {}, h('code', {}, d.number)), h('td', {}, d.country || ''), h('td', {}, d.note || ''))), { empty: 'No documents listed.' })),
    (e.addresses || []).length ? h('section', { 'aria-labelledby': 'addr-h' },
      heading('Addresses', 2, { id: 'addr-h' }),
      h('ul', {}, e.addresses.map((a) => h('li', {}, h('bdi', { dir: 'auto' }, a.full || [a.city, a.country].filter(Boolean).join(', ')))))) : null,
    e.remarks ? h('section', { 'aria-labelledby': 'rem-h' }, heading('Remarks', 2, { id: 'rem-h' }), h('p', { class: 'remarks', dir: 'auto' }, e.remarks)) : null);
}

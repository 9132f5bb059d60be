// Screening: one subject against all lists in force. Every hit shows its score and the
// explanation drawn on the names; the entity opens in full; the hit opens for a decision.

import { post, enc } from './api.js';
import { put, h, heading, field, select, name, scoreMeter, badge, errorBox, when, label } from './dom.js';
import { explanation } from './explain.js';

const SCHEMAS = [['', 'Any'], ['Person', 'Person'], ['Organization', 'Organisation'], ['Vessel', 'Vessel'], ['Aircraft', 'Aircraft']];

// The last answer, so coming back from an entity or a hit shows it again.
let last = null;

function hitCard(m, queryName, i) {
  const id = `hit-${i}`;
  return h('article', { class: ['hit', m.match ? 'is-match' : 'no-match', m.suppressed && 'is-suppressed'], 'aria-labelledby': `${id}-t`, dataset: { entity: m.entity_id, hit: m.hit_id } },
    h('header', { class: 'hit-head' },
      h('h3', { id: `${id}-t` }, h('a', { href: `#/entity/${enc(m.entity_id)}` }, name(m.caption))),
      scoreMeter(m.score),
      m.match ? badge('match', 'bad') : badge('below threshold'),
      m.suppressed ? badge('suppressed: false positive', 'ok') : null),
    h('p', { class: 'hit-meta' },
      h('code', {}, m.entity_id), ' · ', m.source, ' · ', label(m.schema), ' · matched ', name(m.name)),
    m.suppressed ? h('p', { class: 'suppressed' }, `Decided false positive for this subject on ${when(m.suppressed.decided_at)} by ${m.suppressed.decided_by}: `, h('q', {}, m.suppressed.comment)) : null,
    explanation(queryName, m.explanation),
    h('p', { class: 'actions' },
      h('a', { class: 'button', href: `#/hits/${enc(m.hit_id)}` }, 'Review and decide'), ' ',
      h('a', { class: 'button', href: `#/entity/${enc(m.entity_id)}` }, 'Entity detail')));
}

function renderResult(out, res) {
  const q = res.query || {};
  const n = res.matches.length;
  out.replaceChildren(
    h('h2', { id: 'results-h' }, `${n} candidate${n === 1 ? '' : 's'} for `, name(q.name || ''), ` — ${res.open_matches} open match${res.open_matches === 1 ? '' : 'es'}`),
    h('p', { class: 'muted small' }, `Threshold ${q.threshold ?? '–'} · lists version ${res.lists_version} · screening `, h('code', {}, res.screening_id), ` · ${when(res.screened_at)}`),
    n ? h('div', { class: 'hits' }, res.matches.map((m, i) => hitCard(m, q.name, i))) : h('p', { class: 'empty' }, 'No candidate on any list.'));
}

export async function render(main, params, ctx) {
  const f = {
    name: h('input', { id: 'screen-name', name: 'name', type: 'search', required: true, autocomplete: 'off', spellcheck: 'false', dir: 'auto' }),
    schema: select('schema', SCHEMAS, ''),
    birth_date: h('input', { name: 'birth_date', autocomplete: 'off', inputmode: 'numeric', placeholder: 'YYYY or YYYY-MM-DD' }),
    country: h('input', { name: 'country', autocomplete: 'off', placeholder: 'IQ or Iraq' }),
    document: h('input', { name: 'document', autocomplete: 'off' }),
    reference: h('input', { name: 'reference', autocomplete: 'off' }),
  };
  const out = h('section', { id: 'results', class: 'results', 'aria-live': 'polite', 'aria-busy': 'false', 'aria-labelledby': 'results-h' });
  const err = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Screen');
  const form = h('form', { class: 'card search', role: 'search', 'aria-label': 'Screen a name' },
    h('div', { class: 'row' },
      h('div', { class: 'grow' }, field('Name (any script)', f.name, 'e.g. أبو بكر البغدادي or Abu Bakr al-Baghdadi')),
      field('Type', f.schema)),
    h('details', { class: 'more', open: Object.values(params.query ? Object.fromEntries(params.query) : {}).length > 1 },
      h('summary', {}, 'Qualifiers: birth date, country, document, reference'),
      h('div', { class: 'row' },
        field('Birth date', f.birth_date),
        field('Country / nationality', f.country),
        field('Document number', f.document),
        field('Your reference', f.reference, 'Customer or payment id; a false-positive decision applies to this subject only.'))),
    err,
    h('div', { class: 'actions' }, button));
  put(main, heading('Screening'), form, out);

  async function run(push = true) {
    err.replaceChildren();
    const body = {};
    for (const [k, el] of Object.entries(f)) if (el.value.trim()) body[k] = el.value.trim();
    if (!body.name) {
      f.name.setAttribute('aria-invalid', 'true');
      err.append(errorBox(new Error('Enter a name to screen.')));
      f.name.focus();
      return;
    }
    f.name.removeAttribute('aria-invalid');
    button.disabled = true;
    out.setAttribute('aria-busy', 'true');
    try {
      const res = await post('/v1/screen', body);
      if (!ctx.isCurrent()) return;
      last = { body, res };
      renderResult(out, res);
      ctx.announce(`${res.matches.length} candidates, ${res.open_matches} open matches.`);
      if (push) {
        const u = new URLSearchParams(body);
        history.replaceState(null, '', `#/screen?${u}`);
      }
    } catch (e) {
      if (e.field && f[e.field]) f[e.field].setAttribute('aria-invalid', 'true');
      err.append(errorBox(e));
      ctx.announce(`Screening failed: ${e.message}`);
    } finally {
      button.disabled = false;
      out.setAttribute('aria-busy', 'false');
    }
  }
  form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });

  const fromUrl = params.query && params.query.get('name');
  if (fromUrl) {
    for (const [k, el] of Object.entries(f)) el.value = params.query.get(k) || '';
    if (last && JSON.stringify(last.body) === JSON.stringify(Object.fromEntries([...params.query].filter(([, v]) => v)))) renderResult(out, last.res);
    else await run(false);
  }
}

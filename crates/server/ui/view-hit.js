// One screening hit: the explanation drawn on the names (from the stored screening), the
// listed entity beside it, the decision history, and the decision form. Also exports the
// decision form and dialog the review queue uses.

import { get, post, enc } from './api.js';
import { put, h, heading, name, scoreMeter, statusBadge, table, time, errorBox, label, dl, partialDate, typing } from './dom.js';
import { explanation } from './explain.js';
import { addToCaseForm } from './view-cases.js';

export const DECISIONS = [
  ['true_match', 'True match', 't'],
  ['false_positive', 'False positive', 'f'],
  ['escalate', 'Escalate', 'e'],
];

let formSeq = 0;
/**
 * A decision form: three radios and a required comment. `submit(decision, comment)` returns
 * a promise; errors are shown in the form.
 */
export function decisionForm(submit, preset, opts = {}) {
  const n = ++formSeq;
  const err = h('div', { class: 'form-error' });
  const comment = h('textarea', { id: `dc-${n}`, name: 'comment', rows: '3', required: true, maxlength: '4000' });
  const radios = DECISIONS.map(([v, t, key]) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: `decision-${n}`, value: v, checked: v === preset, required: true }), ` ${t} `, h('kbd', {}, key)));
  const button = h('button', { type: 'submit', class: 'primary' }, opts.submitText || 'Record decision');
  const form = h('form', { class: 'decide', 'aria-label': opts.label || 'Decision', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Decision'), radios),
    h('div', { class: 'field' }, h('label', { for: `dc-${n}` }, 'Comment (required: the reason, for the audit trail)'), comment),
    err,
    h('div', { class: 'actions' }, button, opts.cancel ? h('button', { type: 'button', class: 'link', on: { click: opts.cancel } }, 'Cancel') : null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    const picked = form.querySelector('input[type=radio]:checked');
    if (!picked) { err.append(errorBox(new Error('Choose true match, false positive or escalate.'))); form.querySelector('input[type=radio]').focus(); return; }
    if (!comment.value.trim()) { comment.setAttribute('aria-invalid', 'true'); err.append(errorBox(new Error('A decision needs a comment giving the reason.'))); comment.focus(); return; }
    comment.removeAttribute('aria-invalid');
    button.disabled = true;
    try {
      await submit(picked.value, comment.value.trim());
      comment.value = '';
    } catch (e) {
      err.append(errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  form.setDecision = (v) => {
    const r = form.querySelector(`input[value="${v}"]`);
    if (r) r.checked = true;
    comment.focus();
  };
  form.focusFirst = () => (form.querySelector('input[type=radio]:checked') ? comment : form.querySelector('input[type=radio]')).focus();
  return form;
}

/**
 * t/f/e on a hit or alert page pick the decision and put the cursor in the comment. Returns
 * the cleanup that removes the handler when the page is left.
 */
export function decisionKeys(form) {
  const onKey = (ev) => {
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey || document.querySelector('dialog[open]')) return;
    const d = DECISIONS.find(([, , key]) => key === ev.key);
    if (d) { ev.preventDefault(); form.setDecision(d[0]); }
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

/** A modal decision dialog (focus is trapped by `showModal`; Escape closes it). */
export function decisionDialog(title, submit, preset) {
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'dlg-title' });
  const close = () => { dlg.close(); };
  const form = decisionForm(async (d, c) => { await submit(d, c); close(); }, preset, { cancel: close });
  dlg.append(h('h2', { id: 'dlg-title' }, title), form);
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  form.focusFirst();
  return dlg;
}

export function decisionsTable(ds) {
  return table(null, ['When', 'Decision', 'Comment', 'By'], (ds || []).map((d) => h('tr', {},
    h('td', {}, time(d.decided_at || d.created_at)),
    h('td', {}, statusBadge(d.decision)),
    h('td', { dir: 'auto' }, d.comment),
    h('td', {}, d.decided_by_label || d.decided_by || d.decided_by_key || ''))), { empty: 'No decision yet.' });
}

export async function render(main, params, ctx) {
  const hit = await get(`/v1/hits/${enc(params.id)}`);
  if (!ctx.isCurrent()) return;
  // The stored screening holds the answer as given, with the explanation of this hit.
  const [scr, ent] = await Promise.all([
    get(`/v1/screenings/${enc(hit.screening_id)}`).catch(() => null),
    get(`/v1/entities/${enc(hit.entity_id)}`).catch(() => null),
  ]);
  if (!ctx.isCurrent()) return;
  const results = scr?.results || {};
  const match = (results.matches || []).find((m) => m.hit_id === hit.hit_id);
  const queryName = results.query?.name || scr?.request?.name || '';
  const decided = (hit.decisions || []).at(-1);
  ctx.setTitle(`Hit ${hit.caption}`);
  const history = h('div', {}, decisionsTable(hit.decisions));
  const statusEl = h('span', {}, statusBadge(decided ? decided.decision : 'open'));
  const form = decisionForm(async (decision, comment) => {
    await post(`/v1/hits/${enc(hit.hit_id)}/decision`, { decision, comment });
    const fresh = await get(`/v1/hits/${enc(hit.hit_id)}`);
    history.replaceChildren(decisionsTable(fresh.decisions));
    statusEl.replaceChildren(statusBadge(decision));
    ctx.announce(`Decision recorded: ${label(decision)}.`);
  }, null, { label: 'Decide on this hit' });

  put(main, 
    h('h1', {}, 'Hit: ', name(queryName), ' ↔ ', name(hit.caption)),
    h('p', { class: 'lede' }, scoreMeter(hit.score), ' ', statusEl, ' ', hit.match ? statusBadge('match') : 'below threshold',
      ' · entity ', h('a', { href: `#/entity/${enc(hit.entity_id)}` }, h('code', {}, hit.entity_id)),
      ' · screened ', time(hit.created_at), scr?.reference ? ` · reference ${scr.reference}` : ''),
    hit.suppressed_by ? h('p', { class: 'suppressed' }, 'Suppressed by an earlier false-positive decision ', h('code', {}, hit.suppressed_by)) : null,
    h('div', { class: 'split' },
      h('section', { 'aria-labelledby': 'why-h', class: 'card' },
        heading('Why it matched', 2, { id: 'why-h' }),
        match ? explanation(queryName, match.explanation) : h('p', { class: 'muted' }, 'The stored screening has no explanation for this hit.'),
        scr?.request ? dl([
          ['Birth date given', scr.request.birth_date], ['Country given', scr.request.country],
          ['Document given', scr.request.document], ['Type given', scr.request.schema],
        ]) : null),
      ent ? h('section', { 'aria-labelledby': 'ent-h', class: 'card' },
        heading('Listed entity', 2, { id: 'ent-h' }),
        h('p', {}, name(ent.caption), ' · ', ent.source, ' · ', label(ent.schema)),
        dl([
          ['Birth dates', (ent.birth_dates || []).map((b) => (partialDate(b.from) === partialDate(b.to) ? partialDate(b.from) : `${partialDate(b.from)} – ${partialDate(b.to)}`)).join('; ')],
          ['Countries', (ent.countries || []).map((c) => `${c.code} (${label(c.relation)})`).join(', ')],
          ['Documents', (ent.documents || []).map((d) => `${d.kind} ${d.number}`).join('; ')],
          ['Programmes', (ent.programs || []).join('; ')],
          ['Names', h('ul', { class: 'plain' }, (ent.names || []).slice(0, 12).map((n) => h('li', {}, name(n.value), ` (${label(n.kind)})`)))],
        ]),
        h('p', {}, h('a', { href: `#/entity/${enc(ent.id)}` }, 'All details of the entity'))) : null),
    h('section', { 'aria-labelledby': 'dec-h', class: 'card' },
      heading('Decision', 2, { id: 'dec-h' }),
      form,
      heading('History', 3),
      history),
    h('section', { 'aria-labelledby': 'case-h', class: 'card' },
      heading('Case', 2, { id: 'case-h' }),
      addToCaseForm('hit', hit.hit_id, queryName || hit.caption, ctx)));
  return decisionKeys(form);
}


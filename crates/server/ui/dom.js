// Small DOM helpers. Everything is built with createElement/textContent: no HTML strings,
// so list data and user input can never inject markup (and the CSP forbids inline code).

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const HEBREW = /[\u0590-\u05FF]/;

/** True when the text contains Arabic-script letters (Arabic, Persian, Urdu, Pashto...). */
export function isArabic(text) {
  return ARABIC.test(String(text ?? ''));
}

/**
 * Builds an element. `attrs`: `class`, `text`, `on: {event: fn}`, `dataset: {}`, boolean
 * attributes as true/false, everything else as attributes. Children: nodes, strings,
 * numbers, arrays (flattened), null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/**
 * A name as an isolated bidirectional run: `<bdi dir="auto">`, with `lang="ar"` when it is
 * Arabic script, so an Arabic name reads right-to-left even inside a Latin sentence and
 * does not reorder the punctuation around it.
 */
export function name(text, extra = {}) {
  const attrs = { dir: 'auto', class: ['name', extra.class].filter(Boolean).join(' ') };
  if (isArabic(text)) attrs.lang = 'ar';
  else if (HEBREW.test(text)) attrs.lang = 'he';
  return h('bdi', { ...extra, ...attrs }, text);
}

export function score(s) {
  if (typeof s !== 'number' || Number.isNaN(s)) return '–';
  return s.toFixed(3);
}

/** A score bar: the number, and a meter for the eye. */
export function scoreMeter(s, label = 'Score') {
  const v = typeof s === 'number' ? Math.max(0, Math.min(1, s)) : 0;
  return h('span', { class: 'score' },
    h('meter', { min: '0', max: '1', low: '0.6', high: '0.85', optimum: '0', value: String(v), 'aria-label': `${label} ${score(s)}` }),
    h('span', { class: 'score-num' }, score(s)));
}

export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:\d\dZ$/, 'Z');
}

export function time(iso) {
  return h('time', { datetime: iso || '' }, when(iso));
}

/** YYYY, YYYY-MM or YYYY-MM-DD from a list's partial date `{year, month?, day?}`. */
export function partialDate(d) {
  if (!d || typeof d !== 'object') return d ? String(d) : '–';
  const p = (n) => String(n).padStart(2, '0');
  let s = String(d.year);
  if (d.month) s += `-${p(d.month)}`;
  if (d.month && d.day) s += `-${p(d.day)}`;
  return s;
}

export function label(s) {
  return String(s ?? '').replaceAll('_', ' ');
}

export function badge(text, kind = '') {
  return h('span', { class: ['badge', kind && `badge-${kind}`] }, label(text));
}

export function statusBadge(status) {
  const kind = {
    open: 'open', true_match: 'bad', escalate: 'warn', escalated: 'warn',
    false_positive: 'ok', closed: 'ok', decided: 'ok',
  }[status] || '';
  return badge(status || 'open', kind);
}

/** A definition list from [term, value] pairs; empty values are left out. */
export function dl(pairs, cls = 'facts') {
  const el = h('dl', { class: cls });
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    el.append(h('dt', {}, k), h('dd', {}, v));
  }
  return el;
}

export function table(caption, headers, rows, opts = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: opts.class || 'grid' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: String(headers.length), class: 'empty' }, opts.empty || 'Nothing here.')))));
}

export function errorBox(err) {
  const msg = err && err.message ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, err && err.status ? `${err.status} ${err.code || ''}`.trim() + ': ' : 'Error: '), msg);
}

export function heading(text, level = 1, extra = {}) {
  return h(`h${level}`, { tabindex: level === 1 ? '-1' : null, ...extra }, text);
}

/** True when a key event comes from a place where typing is expected. */
export function typing(ev) {
  const t = ev.target;
  if (!t || !t.tagName) return false;
  if (t.tagName === 'INPUT' && ['checkbox', 'radio', 'button', 'submit'].includes(t.type)) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.isContentEditable;
}

let fieldSeq = 0;
/** A labelled form control: `<label for>` plus the control, wrapped in a `.field`. */
export function field(labelText, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  const parts = [h('label', { for: id }, labelText), control];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    parts.push(h('small', { id: hid, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

export function select(name, options, value) {
  return h('select', { name },
    options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
}

/** `el.append(...)` that skips null/false children (the DOM's own append writes "null"). */
export function put(el, ...children) {
  return append(el, children);
}

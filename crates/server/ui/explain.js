// Draws a hit's explanation on the names themselves: the query name and the matched list
// name side by side, each aligned pair of tokens highlighted in the same colour on both
// sides with how they matched (exact, transliteration, phonetic, fuzzy, initial, legal form,
// fused), tokens without a partner struck through, words set aside (articles, honorifics)
// greyed; then the pairs as a table (for screen readers and for the numbers), the
// qualifiers that moved the score, and the sum that gives the final score.

import { h, name as bdiName, isArabic, score, label, table } from './dom.js';

const HOW = {
  exact: 'exact',
  transliteration: 'transliteration',
  phonetic: 'phonetic',
  fuzzy: 'fuzzy',
  initial: 'initial',
  legal_form: 'legal form',
  fused: 'fused',
};

export function howLabel(how) {
  return HOW[how] || label(how);
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds `token` (one or more words as the matcher wrote them) in `text`, case-insensitively
 * and tolerant of the separators between words (space, hyphen, apostrophes), outside the
 * spans already taken. Returns [start, end) or null.
 */
function locate(text, token, taken, whole = true) {
  const words = String(token).split(/[\s\-‐‑–—_'’‘`,.]+/u).filter(Boolean);
  if (!words.length) return null;
  let re;
  try {
    const body = words.map(escapeRe).join("[\\s\\-‐‑–—_'’‘`,.]+");
    re = new RegExp(whole ? `(?<![\\p{L}\\p{N}\\p{M}])${body}(?![\\p{L}\\p{N}\\p{M}])` : body, 'giu');
  } catch {
    return null;
  }
  let m;
  while ((m = re.exec(text)) !== null) {
    const s = m.index;
    const e = s + m[0].length;
    if (!taken.some(([a, b]) => s < b && e > a)) return [s, e];
    if (m[0].length === 0) re.lastIndex++;
  }
  return null;
}

/**
 * Splits `text` into runs: marked spans (from `marks`, each {token, kind, pair?, how?,
 * detail}) and the text between them. Marks that cannot be found in the text are returned
 * apart, so nothing the matcher said is ever hidden.
 */
export function segment(text, marks) {
  const taken = [];
  const placed = [];
  const missing = [];
  for (const mk of marks) {
    // Whole words first; a token the matcher cut out of a longer word (a fused or
    // prefixed form) is then looked for anywhere, except words set aside, which are shown
    // only where they stand alone.
    const at = locate(text, mk.token, taken) || (mk.kind === 'ignored' ? null : locate(text, mk.token, taken, false));
    if (at) { taken.push(at); placed.push({ ...mk, start: at[0], end: at[1] }); } else missing.push(mk);
  }
  placed.sort((a, b) => a.start - b.start);
  const runs = [];
  let pos = 0;
  for (const p of placed) {
    if (p.start > pos) runs.push({ text: text.slice(pos, p.start) });
    runs.push({ ...p, text: text.slice(p.start, p.end) });
    pos = p.end;
  }
  if (pos < text.length) runs.push({ text: text.slice(pos) });
  return { runs, missing };
}

function markEl(run) {
  const cls = ['tok', `tok-${run.kind}`];
  if (run.pair !== undefined) cls.push(`pair-${run.pair % 8}`);
  if (run.how) cls.push(`how-${run.how}`);
  const tag = run.kind === 'aligned' ? howLabel(run.how) : run.kind === 'ignored' ? (run.detail || 'ignored') : 'unmatched';
  const el = h('span', {
    class: cls,
    dataset: run.pair !== undefined ? { pair: String(run.pair) } : {},
    title: run.title || tag,
  },
  h('span', { class: 'tok-text' }, run.text),
  h('span', { class: 'tok-how', 'aria-hidden': 'true' }, tag));
  return el;
}

/** One name with its marks drawn on it, isolated for bidi (`<bdi dir="auto">`). */
export function drawName(text, marks, extra = {}) {
  const { runs, missing } = segment(text, marks);
  // Built empty, then filled; `lang` comes from the whole name.
  const el = bdiName('', { class: 'drawn', ...extra });
  if (isArabic(text)) el.setAttribute('lang', 'ar');
  for (const r of runs) el.append(r.kind ? markEl(r) : document.createTextNode(r.text));
  for (const m of missing.filter((x) => x.kind !== 'ignored')) el.append(' ', markEl({ ...m, text: m.token }));
  return el;
}

function pairTitle(a, side) {
  const other = side === 'query' ? a.list_token : a.query_token;
  return `${howLabel(a.how)} match with “${other}”, similarity ${score(a.score)}, weight ${score(a.weight)}`;
}

/** Hover or focus on a token lights up its partner on the other name. */
function linkPairs(root) {
  const toggle = (ev, on) => {
    const t = ev.target.closest && ev.target.closest('[data-pair]');
    if (!t) return;
    for (const el of root.querySelectorAll(`[data-pair="${t.dataset.pair}"]`)) el.classList.toggle('lit', on);
  };
  root.addEventListener('mouseover', (ev) => toggle(ev, true));
  root.addEventListener('mouseout', (ev) => toggle(ev, false));
}

/**
 * The explanation of one hit. `queryName` is the name as screened; `ex` the `explanation`
 * object of the answer.
 */
export function explanation(queryName, ex) {
  if (!ex || typeof ex !== 'object') return h('p', { class: 'muted' }, 'No explanation stored for this hit.');
  const aligned = ex.aligned || [];
  const qMarks = aligned.map((a, i) => ({ token: a.query_token, kind: 'aligned', pair: i, how: a.how, title: pairTitle(a, 'query') }));
  const lMarks = aligned.map((a, i) => ({ token: a.list_token, kind: 'aligned', pair: i, how: a.how, title: pairTitle(a, 'list') }));
  for (const u of ex.unmatched_query || []) qMarks.push({ token: u.token, kind: 'unmatched', title: `no partner in the list name (weight ${score(u.weight)})` });
  for (const u of ex.unmatched_list || []) lMarks.push({ token: u.token, kind: 'unmatched', title: `not in the query (weight ${score(u.weight)})` });
  for (const r of ex.ignored_query || []) qMarks.push({ token: r.text, kind: 'ignored', detail: label(r.kind), title: `set aside: ${label(r.kind)}` });
  for (const r of ex.ignored_list || []) lMarks.push({ token: r.text, kind: 'ignored', detail: label(r.kind), title: `set aside: ${label(r.kind)}` });

  const matched = ex.matched_name || '';
  const names = h('div', { class: 'names-drawn' },
    h('div', { class: 'name-row' },
      h('span', { class: 'name-side' }, 'Query'),
      drawName(queryName || '', qMarks, { 'data-side': 'query' })),
    h('div', { class: 'name-row' },
      h('span', { class: 'name-side' }, 'List name'),
      drawName(matched, lMarks, { 'data-side': 'list' }),
      h('span', { class: 'name-meta' },
        [label(ex.name_kind), label(ex.name_quality) + ' alias quality', label(ex.name_script) + ' script'].filter(Boolean).join(' · '))));
  linkPairs(names);

  const pairRows = aligned.map((a, i) => h('tr', {},
    h('td', {}, h('span', { class: `swatch pair-${i % 8}`, 'aria-hidden': 'true' }), bdiName(a.query_token)),
    h('td', {}, bdiName(a.list_token)),
    h('td', {}, h('span', { class: `how how-${a.how}` }, howLabel(a.how))),
    h('td', { class: 'num' }, score(a.score)),
    h('td', { class: 'num' }, score(a.weight))));
  for (const u of ex.unmatched_query || []) pairRows.push(h('tr', { class: 'row-unmatched' }, h('td', {}, bdiName(u.token)), h('td', {}, '—'), h('td', {}, 'unmatched in query'), h('td', { class: 'num' }, '0'), h('td', { class: 'num' }, score(u.weight))));
  for (const u of ex.unmatched_list || []) pairRows.push(h('tr', { class: 'row-unmatched' }, h('td', {}, '—'), h('td', {}, bdiName(u.token)), h('td', {}, 'unmatched in list name'), h('td', { class: 'num' }, '0'), h('td', { class: 'num' }, score(u.weight))));

  const adj = ex.adjustments || [];
  const sum = h('p', { class: 'sum' },
    'Name score ', h('strong', {}, score(ex.name_score)),
    adj.map((a) => [' ', a.effect < 0 ? '−' : '+', ' ', h('strong', {}, score(Math.abs(a.effect))), ` (${label(a.factor)})`]),
    ' = score ', h('strong', {}, score(ex.score)),
    Math.abs((ex.name_score ?? 0) + adj.reduce((t, a) => t + (a.effect || 0), 0) - (ex.score ?? 0)) > 0.0015 ? ' (kept within 0–1)' : null);

  const notes = [];
  const setAside = [...(ex.ignored_query || []).map((r) => ['query', r]), ...(ex.ignored_list || []).map((r) => ['list name', r])];
  if (setAside.length) notes.push(h('span', {}, 'Set aside before comparing: ', setAside.map(([side, r], i) => [i ? ', ' : '', bdiName(r.text), ` (${label(r.kind)}, ${side})`])));
  if (ex.reordered) notes.push('Tokens matched in a different order.');
  for (const n of ex.notes || []) notes.push(n);

  return h('div', { class: 'explanation' },
    names,
    h('details', { class: 'pairs' },
      h('summary', {}, `How the tokens matched (${aligned.length} pair${aligned.length === 1 ? '' : 's'})`),
      table(null, ['Query token', 'List token', 'How', 'Similarity', 'Weight'], pairRows, { class: 'grid compact' })),
    adj.length ? h('ul', { class: 'qualifiers', 'aria-label': 'Qualifiers' },
      adj.map((a) => h('li', { class: `q-${a.outcome}` },
        h('span', { class: 'q-factor' }, label(a.factor)), ' ',
        h('span', { class: `badge badge-${a.outcome === 'match' ? 'bad' : a.outcome === 'mismatch' ? 'ok' : 'warn'}` }, label(a.outcome)), ' ',
        h('span', { class: 'q-effect num' }, `${a.effect >= 0 ? '+' : '−'}${score(Math.abs(a.effect))}`), ' ',
        h('span', { class: 'q-detail' }, a.detail)))) : h('p', { class: 'muted small' }, 'No qualifier moved the score (no birth date, country or document to compare).'),
    notes.length ? h('ul', { class: 'notes' }, notes.map((n) => h('li', {}, n))) : null,
    sum);
}

export { isArabic };

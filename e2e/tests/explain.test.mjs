// The explanation drawing's token placement (crates/server/ui/explain.js), without a browser:
// where on a name each token the matcher reported is drawn.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { segment } from '../../crates/server/ui/explain.js';

const marked = (r) => r.runs.filter((x) => x.kind).map((x) => [x.text, x.kind]);

describe('segment', () => {
  it('places multi-word tokens across hyphens and case, and articles only where they stand alone', () => {
    const r = segment('ABU BAKR AL-BAGHDADI', [
      { token: 'Abu Bakr', kind: 'aligned' },
      { token: 'Baghdadi', kind: 'aligned' },
      { token: 'al', kind: 'ignored' },
    ]);
    assert.deepEqual(marked(r), [['ABU BAKR', 'aligned'], ['AL', 'ignored'], ['BAGHDADI', 'aligned']]);
    assert.equal(r.runs.map((x) => x.text).join(''), 'ABU BAKR AL-BAGHDADI');
  });

  it('does not mark a short token inside a longer word', () => {
    const r = segment('Khalid al Ali', [{ token: 'al', kind: 'ignored' }, { token: 'Ali', kind: 'aligned' }]);
    assert.deepEqual(marked(r), [['al', 'ignored'], ['Ali', 'aligned']]);
    assert.equal(r.runs[0].text, 'Khalid ');
  });

  it('places Arabic tokens and drops an article that only exists fused to a word', () => {
    const r = segment('أبو بكر البغدادي', [
      { token: 'أبو بكر', kind: 'aligned' },
      { token: 'البغدادي', kind: 'aligned' },
      { token: 'ال', kind: 'ignored' },
    ]);
    assert.deepEqual(marked(r), [['أبو بكر', 'aligned'], ['البغدادي', 'aligned']]);
    assert.deepEqual(r.missing.map((m) => m.token), ['ال']);
  });

  it('uses each occurrence once, so repeated names get their own pairs', () => {
    const r = segment('Ibrahim Awwad Ibrahim', [
      { token: 'Ibrahim', kind: 'aligned', pair: 0 },
      { token: 'Ibrahim', kind: 'aligned', pair: 1 },
    ]);
    assert.deepEqual(r.runs.filter((x) => x.kind).map((x) => [x.start, x.pair]), [[0, 0], [14, 1]]);
  });

  it('falls back to a part of a word for a fused token, and reports what it cannot place', () => {
    const r = segment('Abdallah Azzam', [
      { token: 'Abd', kind: 'aligned' },
      { token: 'Osama', kind: 'unmatched' },
    ]);
    assert.deepEqual(marked(r), [['Abd', 'aligned']]);
    assert.deepEqual(r.missing.map((m) => m.token), ['Osama']);
  });

  it('treats regex characters in tokens literally', () => {
    const r = segment('A.B. (Holdings) Ltd', [{ token: '(Holdings)', kind: 'aligned' }, { token: 'Ltd', kind: 'aligned' }]);
    assert.ok(marked(r).some(([t]) => t === 'Ltd'));
  });
});

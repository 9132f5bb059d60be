// End-to-end: the analyst UI in a real headless Chromium against the real `raqib serve`.
// One story, in order (each step builds on the last), with a concurrent screening load
// running the whole time and screenshots of every step under test-output/e2e/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Server, launchBrowser, shot, a11yProblems, AMLSIM, SHOTS } from '../lib/harness.mjs';
import { ScreeningLoad } from '../lib/load.mjs';

const T = 60_000;

describe('analyst workspace', { timeout: 900_000 }, () => {
  const server = new Server();
  let keyA, keyB, keyLoad, browser, page, load;
  const pageErrors = [];
  const shots = [];
  const seen = {};

  // Every step's page is checked for the accessibility basics, then photographed.
  async function snap(name) {
    assert.deepEqual(await a11yProblems(page), [], `accessibility problems on ${name}`);
    shots.push(await shot(page, name));
  }

  async function signIn(key) {
    await page.goto(`${server.base}/#/signin`);
    await page.getByLabel('Member key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: T });
  }

  async function heading1() {
    return (await page.locator('main h1').first().textContent()).trim();
  }

  before(async () => {
    keyA = server.createKey('Alpha Bank', 'analyst', 'alice (analyst)');
    keyB = server.createKey('Beta Payments', 'analyst', 'bob (analyst)');
    keyLoad = server.createKey('Load Generator', 'screener', 'load');
    await server.start();
    load = new ScreeningLoad(server, keyLoad, 8);
    await load.prepare();
    load.start();
    ({ context: browser } = await launchBrowser());
    page = browser.pages()[0] || await browser.newPage();
    page.setDefaultTimeout(T);
    page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(`${SHOTS}/${f}`);
  });

  after(async () => {
    if (load) await load.stop();
    if (browser) await browser.close();
    await server.stop();
    if (shots.length) console.log(`screenshots in test-output/e2e/: ${shots.join(', ')}`);
  });

  it('serves the app shell with a strict CSP and no external resources', async () => {
    const r = await fetch(`${server.base}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/html/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
    const js = await fetch(`${server.base}/ui/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /javascript/);
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`${server.base}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.match(page.url(), /#\/signin$/);
    const foreign = requests.filter((u) => !u.startsWith(server.base) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'the page fetched from another origin');
    await snap('signin');
  });

  it('refuses a wrong key and signs in with a member key', async () => {
    await page.getByLabel('Member key').fill('rqb_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    await signIn(keyA);
    assert.match(await page.locator('#who-member').textContent(), /Alpha Bank/);
    await page.getByRole('heading', { name: 'Lists in force' }).waitFor();
    const lists = await page.locator('table tbody th[scope=row]').allTextContents();
    assert.ok(lists.includes('un'), `UN list on the dashboard: ${lists}`);
    // Keyboard focus is visible: Tab from the page heading lands on a control with an outline.
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { tag: el.tagName, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    assert.notEqual(focus.tag, 'BODY');
    assert.ok(focus.outline !== 'none' && focus.width >= 2, `visible focus: ${JSON.stringify(focus)}`);
    await snap('dashboard');
  });

  it('screens «أبو بكر البغدادي» and shows the UN entity with its explanation drawn on the names', async () => {
    await page.getByRole('link', { name: 'Screening' }).click();
    await page.getByLabel('Name (any script)').fill('أبو بكر البغدادي');
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const card = page.locator('article.hit[data-entity="un:QDi.299"]');
    await card.waitFor();
    // The query drawn in Arabic, right-to-left, with aligned tokens and how they matched.
    const query = card.locator('bdi.drawn[data-side="query"]');
    assert.equal(await query.getAttribute('lang'), 'ar');
    assert.equal(await query.getAttribute('dir'), 'auto');
    assert.equal(await query.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    const qTokens = await query.locator('.tok-aligned .tok-text').allTextContents();
    assert.ok(qTokens.includes('البغدادي'), `aligned query tokens: ${qTokens}`);
    const list = card.locator('bdi.drawn[data-side="list"]');
    assert.equal(await list.evaluate((el) => getComputedStyle(el).direction), 'ltr');
    const lTokens = await list.locator('.tok-aligned .tok-text').allTextContents();
    assert.ok(lTokens.some((t) => /baghdadi/i.test(t)), `aligned list tokens: ${lTokens}`);
    const how = await card.locator('.tok-aligned .tok-how').allTextContents();
    assert.ok(how.includes('transliteration'), `how: ${how}`);
    // Partner tokens share a pair colour on both names.
    const pair = await query.locator('.tok-aligned').first().getAttribute('data-pair');
    assert.equal(await list.locator(`.tok-aligned[data-pair="${pair}"]`).count(), 1);
    assert.match(await card.locator('.sum').textContent(), /score/);
    assert.match(await page.locator('#results h2').textContent(), /open match/);
    seen.unHitId = await card.getAttribute('data-hit');
    await card.scrollIntoViewIfNeeded();
    await snap('screening-explanation');

    await card.getByRole('link', { name: 'Entity detail' }).click();
    await page.getByRole('heading', { name: /Names \(\d+\)/ }).waitFor();
    const arabic = page.locator('table bdi[lang="ar"]');
    assert.ok(await arabic.count() >= 1, 'Arabic names tagged lang=ar');
    assert.match(await page.locator('main').textContent(), /un:QDi\.299/);
    assert.match(await page.locator('main').textContent(), /1971/);
    assert.match(await page.locator('main').textContent(), /Al-Qaida/);
    await snap('entity-un-QDi.299');

    // With a birth date and a country, the qualifiers that moved the score are shown.
    await page.getByRole('link', { name: 'Screening' }).click();
    await page.getByLabel('Name (any script)').fill('Abu Bakr al-Baghdadi');
    await page.getByText('Qualifiers: birth date').click();
    await page.getByLabel('Birth date').fill('1971');
    await page.getByLabel('Country / nationality').fill('IQ');
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const un = page.locator('article.hit[data-entity="un:QDi.299"]');
    await un.waitFor();
    const qualifiers = await un.locator('.qualifiers li').allTextContents();
    assert.ok(qualifiers.some((q) => /birth date/i.test(q)), `qualifiers: ${qualifiers}`);
    assert.ok(qualifiers.some((q) => /country/i.test(q)), `qualifiers: ${qualifiers}`);
    assert.match(await un.locator('.sum').textContent(), /birth date/);
    // Latin on both sides: every token of the list name is accounted for.
    const exact = await un.locator('bdi.drawn[data-side="list"] .tok-aligned .tok-text').allTextContents();
    assert.match(exact.join(' '), /Abu.*Bakr.*Baghdadi/i);
    assert.equal(await un.locator('bdi.drawn .tok-unmatched').count(), 0);
    await un.scrollIntoViewIfNeeded();
    await snap('screening-qualifiers');
  });

  it('marks a hit false positive with a comment and sees it in the audit log', async () => {
    await page.goto(`${server.base}/#/hits/${seen.unHitId}`);
    await page.getByRole('heading', { name: 'Why it matched' }).waitFor();
    await page.locator('.tok-aligned').first().waitFor();
    // A decision without a comment is refused in the page.
    await page.getByLabel(/False positive/).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('alert').filter({ hasText: 'comment' }).waitFor();
    await page.getByLabel(/^Comment/).fill('Customer born 1990 in Oslo; not the listed person (born 1971, Iraq).');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('table tbody tr', { hasText: 'born 1990 in Oslo' }).waitFor();
    await snap('hit-false-positive');

    await page.getByRole('link', { name: 'Audit log' }).click();
    const row = page.locator('table.audit tbody tr[data-action="decision.recorded"]');
    await row.first().waitFor();
    assert.match(await row.first().textContent(), /false_positive|false positive/);
    assert.ok(await page.locator('table.audit tbody tr[data-action="session.signed_in"]').count() >= 1, 'sign-in audited');
    await snap('audit-log');
  });

  it('works the review queue from the keyboard (j/k, f with a required comment)', async () => {
    // Two more hits to review.
    for (const n of ['Abu Bakr al-Baghdadi', 'Usama bin Ladin']) {
      const r = await server.api(keyA, 'POST', '/v1/screen', { name: n, reference: `cust-${n.length}` });
      assert.equal(r.status, 200);
    }
    await page.goto(`${server.base}/#/queue`);
    await page.locator('#queue-table tbody tr[data-index]').first().waitFor();
    const before = await page.locator('#queue-table tbody tr[data-index]').count();
    assert.ok(before >= 2, `open items: ${before}`);
    await page.locator('#queue-table tbody tr[data-index="0"] a').first().focus();
    await page.keyboard.press('j');
    assert.equal(await page.locator('#queue-table tr.current').getAttribute('data-index'), '1');
    await page.keyboard.press('k');
    assert.equal(await page.locator('#queue-table tr.current').getAttribute('data-index'), '0');
    const subject = await page.locator('#queue-table tr.current td:nth-child(3)').textContent();
    await page.keyboard.press('f');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.ok(await dialog.getByLabel(/False positive/).isChecked());
    await snap('queue-decide-dialog');
    await dialog.getByLabel(/^Comment/).fill('Different person: company customer, not an individual.');
    await dialog.getByRole('button', { name: 'Record decision' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#queue-table tr[data-index="0"] td.status', { hasText: 'false positive' }).waitFor();
    await snap('queue');
    seen.queueSubject = subject;
  });

  it('loads the shared AMLSim sample through POST /v1/transactions', { skip: !fs.existsSync(AMLSIM) && 'the shared AMLSim sample is not beside the repo' }, async () => {
    const csv = fs.readFileSync(AMLSIM);
    const r = await server.api(keyA, 'POST', '/v1/transactions?screening=false', csv, 'text/csv');
    assert.equal(r.status, 200, r.text.slice(0, 500));
    assert.ok(r.json.accepted > 30000, `accepted ${r.json.accepted}`);
    const fanIn = r.json.alerts.filter((a) => a.typology === 'fan_in');
    assert.ok(fanIn.length > 0, `fan-in alerts among ${r.json.alerts.length}`);
    const listed = await server.api(keyA, 'GET', '/v1/alerts?typology=fan_in&status=all&limit=5');
    assert.equal(listed.status, 200, listed.text);
    assert.ok(listed.json.total > 0);
    seen.alertId = listed.json.items[0].alert_id;
    seen.alertAccount = listed.json.items[0].key_account;
  });

  it('opens a fan-in alert and sees its graph', async () => {
    assert.ok(seen.alertId, 'a fan-in alert from the previous step');
    // Found through the queue's filter on the key account, opened by its link.
    await page.goto(`${server.base}/#/queue?kind=alert&status=all&q=${encodeURIComponent(seen.alertAccount)}`);
    const row = page.locator(`#queue-table tbody tr[data-id="${seen.alertId}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /fan in/);
    await row.locator('a').first().click();
    await page.getByRole('heading', { level: 1, name: /fan in/ }).waitFor();
    const img = page.locator('img#alert-graph');
    await img.waitFor();
    await page.waitForFunction(() => { const i = document.getElementById('alert-graph'); return i && i.complete && i.naturalWidth > 0; });
    const svg = await server.api(keyA, 'GET', `/v1/alerts/${seen.alertId}/graph.svg`);
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type'), /image\/svg\+xml/);
    assert.match(svg.text, /<svg/);
    assert.ok(await page.locator('#tx-h + .table-wrap tbody tr, section:has(#tx-h) tbody tr').count() > 1, 'transactions listed');
    assert.ok((await page.locator('section:has(#why-h) dl.facts dt').count()) > 0, 'aggregates shown');
    await snap('alert-fan-in-graph');
    // Decide it from its page: escalate, with the reason.
    // From the keyboard: e picks escalate and moves to the comment.
    await page.keyboard.press('e');
    assert.ok(await page.getByLabel(/Escalate/).isChecked());
    assert.equal(await page.evaluate(() => document.activeElement.name), 'comment');
    await page.getByLabel(/^Comment/).fill('Thirteen new senders in 40 days, most of it withdrawn: escalate to the MLRO.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('section:has(#dec-h) tbody tr', { hasText: 'escalate to the MLRO' }).waitFor();
    await page.goto(`${server.base}/#/audit?action=alert.decided`);
    await page.locator('table.audit tbody tr[data-action="alert.decided"]').first().waitFor();
  });

  it('creates a case from queue items, works it and exports the report', async () => {
    await page.goto(`${server.base}/#/queue?status=all&q=${encodeURIComponent(seen.alertAccount)}`);
    const alertRow = page.locator(`#queue-table tbody tr[data-id="${seen.alertId}"]`);
    await alertRow.waitFor();
    // Selected from the keyboard: focus the row, x selects, c opens the new-case dialog.
    await alertRow.locator('a').first().focus();
    await page.keyboard.press('x');
    assert.ok(await alertRow.locator('input[type=checkbox]').isChecked());
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Fan-in fundraising around a listed name');
    await dialog.getByLabel(/^Subject/).fill('Account 4542 / Abu Bakr');
    await dialog.getByLabel('Assignee').fill('alice');
    await dialog.getByRole('button', { name: 'Create case' }).click();
    await page.getByRole('heading', { level: 1, name: /Case: Fan-in fundraising/ }).waitFor();
    seen.caseUrl = page.url();
    seen.caseId = decodeURIComponent(seen.caseUrl.split('#/cases/')[1]);
    assert.equal(await page.locator('section:has(#items-h) tbody tr').count(), 1);
    // The screening hit decided earlier joins the case through the add-item form.
    await page.getByLabel('Hit or alert id').fill(seen.unHitId);
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.locator('section:has(#items-h) tbody tr', { hasText: 'IBRAHIM AWWAD' }).waitFor();
    assert.equal(await page.locator('section:has(#items-h) tbody tr').count(), 2);

    await page.getByLabel('New note').fill('Donations from 40 accounts within 10 days; escalating to the MLRO.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.note', { hasText: 'escalating to the MLRO' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('escalated');
    await page.getByLabel('Comment', { exact: true }).fill('Pattern matches TF fundraising.');
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.locator('.lede .badge', { hasText: 'escalated' }).waitFor();
    await snap('case');

    const [report] = await Promise.all([
      browser.waitForEvent('page'),
      page.getByRole('link', { name: 'Export report' }).click(),
    ]);
    await report.waitForLoadState('load');
    const text = await report.locator('body').textContent();
    assert.match(text, /Fan-in fundraising around a listed name/);
    assert.match(text, /Alpha Bank/);
    assert.ok(await report.locator('svg').count() >= 1, 'the alert graph is embedded in the report');
    assert.match(text, /un:QDi\.299/);
    assert.match(text, /fan_in|fan in/);
    shots.push(await shot(report, 'case-report'));
    await report.close();

    // The dashboard counts the work: the escalated case, the alerts still open.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const stat = async (label) => Number(await page.locator('.stat', { hasText: label }).locator('.stat-value').textContent());
    await page.locator('.stat', { hasText: 'escalated cases' }).waitFor();
    assert.equal(await stat('escalated cases'), 1);
    assert.ok(await stat('open alerts') > 0, 'open alerts on the dashboard');
    assert.ok(await stat('open hits') > 0, 'open hits on the dashboard');
    await snap('dashboard-with-work');
  });

  it('shows a second member none of the first member’s work', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signIn(keyB);
    assert.match(await page.locator('#who-member').textContent(), /Beta Payments/);
    await page.goto(`${server.base}/#/queue?status=all`);
    await page.locator('#queue-summary', { hasText: 'The queue is empty.' }).waitFor();
    await snap('second-member-empty-queue');
    for (const url of [`#/cases/${encodeURIComponent(seen.caseId)}`, `#/alerts/${seen.alertId}`, `#/hits/${seen.unHitId}`]) {
      await page.goto(`${server.base}/${url}`);
      await page.getByRole('alert').filter({ hasText: '404' }).waitFor();
    }
    await snap('second-member-404');
    await page.goto(`${server.base}/#/cases`);
    await page.locator('main table tbody td.empty').waitFor();
    await page.goto(`${server.base}/#/audit`);
    await page.locator('table.audit tbody tr').first().waitFor();
    assert.equal(await page.locator('table.audit tbody tr[data-action="decision.recorded"]').count(), 0);
    assert.equal(await page.locator('table.audit tbody tr[data-action="case.created"]').count(), 0);
    for (const p of [`/v1/cases/${encodeURIComponent(seen.caseId)}`, `/v1/alerts/${seen.alertId}`, `/v1/hits/${seen.unHitId}`, `/v1/cases/${encodeURIComponent(seen.caseId)}/report`, `/v1/alerts/${seen.alertId}/graph.svg`]) {
      const r = await server.api(keyB, 'GET', p);
      assert.equal(r.status, 404, `${p} for the second member`);
    }
    const q = await server.api(keyB, 'GET', '/v1/queue?status=all');
    assert.equal(q.json.total, 0);
    // With the session cookie, a state change without the app's X-Raqib-Request header (what a
    // cross-site form or script would send) is refused.
    const csrf = await page.evaluate(async () => {
      const r = await fetch('/v1/cases', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 't', subject: 's', items: [] }) });
      return { status: r.status, body: await r.json() };
    });
    assert.equal(csrf.status, 403);
    assert.equal(csrf.body.code, 'csrf_header_missing');
  });

  it('stayed correct under the concurrent screening load, without page errors', async () => {
    await load.stop();
    assert.deepEqual(load.failures.slice(0, 20), [], `${load.failures.length} bad answers under load`);
    assert.ok(load.ok >= 50, `only ${load.ok} screenings ran during the flow`);
    console.log(`concurrent load: ${load.ok} screenings by ${load.workers} workers, all 200 and identical to their baseline`);
    assert.deepEqual(pageErrors, []);
  });
});

// dashboard.cjs - drive the dyad dashboard in headless Chromium (playwright-core) and compare
// what it shows with what the command line says about the same store.
//
//   node dashboard.cjs URL DYAD DB ARTICLE SHOTS_DIR PLAYWRIGHT_CORE_DIR CHROMIUM
//
// Prints one "PASS name" / "FAIL name: why" line per check; exits 1 when a check failed.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [url, dyad, db, articleId, shots, pwDir, chromium] = process.argv.slice(2);
const { chromium: browserType } = require(pwDir);

let failed = 0;
function check(name, ok, why) {
  if (ok) console.log('PASS ' + name);
  else { console.log('FAIL ' + name + ': ' + (why || 'no')); failed++; }
}

// ---------------------------------------------------------------- what the CLI says

function cli(args) {
  const out = execFileSync(dyad, ['query', ...args, '--db', db, '--format', 'json'],
                           { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

const unit = (code, prefix) => !!code && code.startsWith(prefix);
const key = (e) => [e.date, e.source || '', e.target || '', e.code, e.article].join('|');
const squash = (s) => String(s || '').replace(/\s+/g, ' ').trim();

function multisetMissing(want, have) {   // keys of want not found in have (counted)
  const left = new Map();
  for (const k of have) left.set(k, (left.get(k) || 0) + 1);
  const missing = [];
  for (const k of want) {
    const n = left.get(k) || 0;
    if (n) left.set(k, n - 1); else missing.push(k);
  }
  return missing;
}

async function main() {
  const all = cli(['events', '--limit', '0']);
  const seed = all.filter((e) => e.article === articleId);
  check('dashboard-cli-seed-events', seed.length > 0,
        'dyad query events lists none of its events');
  if (!seed.length) return;
  // the dyad to show: the countries of the first seed event with two different ones
  const pair = seed.map((e) => [(e.source || '').slice(0, 3), (e.target || '').slice(0, 3)])
                   .find(([a, b]) => a.length === 3 && b.length === 3 && a !== b);
  check('dashboard-cli-seed-dyad', !!pair, 'none has two actors');
  if (!pair) return;
  const [A, B] = pair;
  const inDyad = (e) => (unit(e.source, A) && unit(e.target, B)) ||
                        (unit(e.source, B) && unit(e.target, A));
  const dyadEvents = all.filter(inDyad);
  const dyadRows = cli(['dyad', A, B, '--by', 'month', '--limit', '0']);
  const dyadTotal = dyadRows.reduce((s, r) => s + r.events, 0);
  check('dashboard-cli-dyad-' + A + '-' + B,
        dyadTotal === dyadEvents.length, dyadTotal + ' counted, ' + dyadEvents.length + ' listed');

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dyad-chromium-'));
  // a fresh profile (playwright passes it as --user-data-dir)
  const browser = await browserType.launchPersistentContext(profile, {
    executablePath: chromium,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    const still = () => page.waitForFunction(
      () => document.body.dataset.ready === '1' && document.body.dataset.busy === '0',
      null, { timeout: 15000 });

    await page.goto(url, { waitUntil: 'load' });
    await still();
    const info = await page.textContent('#store-info');
    check('dashboard-page-loads', /\d+ events/.test(info), 'store info: ' + info);
    check('dashboard-page-all-events', (await page.$$('#events tbody tr[data-id]')).length > 0,
          'no rows');
    await page.screenshot({ path: path.join(shots, 'overview.png'), fullPage: false });

    // the dyad, picked through the form
    await page.fill('#f-a', A);
    await page.fill('#f-b', B);
    await page.selectOption('#f-by', 'month');
    await page.click('#f-show');
    await still();
    const title = await page.textContent('#timeline-title');
    check('dashboard-timeline-title', title.includes(A) && title.includes(B), title);
    const bars = await page.$$eval('#timeline svg rect.bar',
                                   (rs) => rs.map((r) => Number(r.dataset.n)));
    check('dashboard-timeline-bars', bars.length > 0, 'no bars drawn');
    const barSum = bars.reduce((s, n) => s + n, 0);
    check('dashboard-timeline-matches-cli', barSum === dyadTotal,
          barSum + ' in the bars, ' + dyadTotal + ' from dyad query dyad');
    const line = await page.$('#timeline svg path.gold-line');
    check('dashboard-timeline-goldstein', !!line && (await line.getAttribute('d')).startsWith('M'),
          'no line');

    // the table: every dyad event (one page of 500), the seed article's among them
    await page.selectOption('#page-size', '500');
    await still();
    const rows = await page.$$eval('#events tbody tr[data-id]', (trs) => trs.map((t) => ({
      id: t.dataset.id, date: t.dataset.date, source: t.dataset.source,
      target: t.dataset.target, code: t.dataset.code, article: t.dataset.article })));
    const total = parseInt(await page.textContent('#events-count'), 10);
    check('dashboard-table-total', total === dyadEvents.length,
          total + ' shown, ' + dyadEvents.length + ' from dyad query events');
    const shown = rows.map(key);
    const want = dyadEvents.slice(0, 500).map(key);
    const missing = multisetMissing(want, shown);
    check('dashboard-table-rows', missing.length === 0 && rows.length === want.length,
          missing.length + ' missing, e.g. ' + missing.slice(0, 3).join(', '));
    const seedInDyad = seed.filter(inDyad);
    const seedRows = rows.filter((r) => r.article === articleId);
    check('dashboard-table-seed-events',
          seedInDyad.length > 0 && multisetMissing(seedInDyad.map(key), seedRows.map(key)).length === 0,
          seedRows.length + ' rows of ' + seedInDyad.length + ' events');

    // sorting by Goldstein, descending then ascending
    await page.click('#events th[data-sort="goldstein"]');
    await still();
    const gold = await page.$$eval('#events tbody tr[data-id] td.gold',
                                   (tds) => tds.map((t) => Number(t.textContent.replace('\u2212', '-'))));
    check('dashboard-table-sort', gold.every((g, i) => i === 0 || gold[i - 1] <= g),
          gold.slice(0, 8).join(' '));
    await page.click('#events th[data-sort="date"]');
    await still();

    // the article view: click the first seed event of the table
    const first = seedRows[0];
    const ev = seedInDyad.find((e) => key(e) === key(first));
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });
    await (await page.$('#timeline-panel')).screenshot({ path: path.join(shots, 'timeline.png') });
    await page.click(`#events tbody tr[data-id="${first.id}"]`);
    await still();
    const heading = await page.textContent('#article .art-head');
    check('dashboard-article-opens', heading.includes(articleId), heading);
    const marks = await page.$$eval('#article-text mark.hl', (ms) => ms.map((m) => ({
      kinds: m.dataset.kinds.split(' '), sel: m.dataset.sel.split(' '), text: m.textContent })));
    // marks of a kind; with sel, those of that kind that belong to the selected event
    const has = (kind, sel) => marks.filter((m) => (sel ? m.sel : m.kinds).includes(kind));
    check('dashboard-article-highlights',
          has('source').length > 0 && has('target').length > 0 && has('verb').length > 0,
          marks.length + ' highlights');
    const selVerb = has('verb', true).map((m) => m.text).join('');
    check('dashboard-article-verb', squash(selVerb) === squash(ev.verb),
          'highlighted "' + selVerb + '", the event\'s verb "' + ev.verb + '"');
    const selSource = has('source', true).map((m) => m.text).join('');
    check('dashboard-article-source',
          squash(selSource) === squash(ev.source_text),
          'highlighted "' + selSource + '", the source "' + ev.source_text + '"');
    const quotes = cli(['sql', 'SELECT COUNT(*) AS n FROM quotes WHERE article = ?1', articleId]);
    if (quotes[0].n > 0)
      check('dashboard-article-quotes', has('quote').length > 0, 'no quotation marked');
    await page.screenshot({ path: path.join(shots, 'dashboard-article.png'), fullPage: false });
    await (await page.$('#article-panel')).screenshot({ path: path.join(shots, 'article.png') });

    // a bad request shows the API's message
    await page.fill('#f-a', 'QQQ');
    await page.fill('#f-b', '');
    await page.click('#f-show');
    await still();
    const err = await page.textContent('#error');
    check('dashboard-page-error', /unknown actor code 'QQQ'/.test(err), err);
    const unexpected = problems.filter((p) => !/status of 400/.test(p));
    check('dashboard-page-no-errors', unexpected.length === 0, unexpected.join(' | '));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => process.exit(failed ? 1 : 0), (e) => {
  console.log('FAIL dashboard: ' + String(e && e.stack || e).split('\n').slice(0, 3).join(' '));
  process.exit(1);
});

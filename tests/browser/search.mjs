// Search in headless Chromium over file://, on the built sample library (argv[2]):
// relevance (abbreviations, US spellings), a one-letter typo in a word of every title,
// live results while typing, facet counts against independent counts, query state in the
// URL, result links and their #fragments, and axe-core on a page of results.
// Run by tests/browser.rs; exits non-zero on any failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { finish, test } from './checks.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const site = path.resolve(process.argv[2]);
const api = JSON.parse(fs.readFileSync(path.join(site, 'api', 'documents.json'), 'utf8'));
const docs = api.documents;
const searchUrl = pathToFileURL(path.join(site, 'search', 'index.html')).href;

const browser = await chromium.launch({
  executablePath: process.env.LANTERN_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

/** Opens the search page with `query` (a query string) and waits for its first render. */
async function open(query) {
  await page.goto(`${searchUrl}?${query}`);
  await page.waitForFunction(() => document.getElementById('search-results').dataset.done);
  return shown();
}

/** The site paths of the results on the page, in order. */
function shown() {
  return page.$$eval('#search-results li a', (links) => links.map((a) => a.href));
}
const pathOf = (href) => path.relative(site, decodeURIComponent(new URL(href).pathname)).replaceAll(path.sep, '/')
  .replace(/index\.html$/, '');
const byPath = (p) => docs.find((d) => d.path === p);


test('"pph" finds postpartum haemorrhage documents first', async () => {
  const hits = (await open('q=pph')).map(pathOf);
  assert.ok(hits.length >= 3, `only ${hits.length} results`);
  for (const p of hits.slice(0, 3)) assert.ok(byPath(p).priority_areas.includes('postpartum-haemorrhage'), p);
});

test('an abbreviation finds documents that only spell it out', async () => {
  // No sample document writes "PTB"; every preterm birth document spells it out.
  const never = docs.filter((d) => !/\bptb\b/i.test(fs.readFileSync(path.join(site, d.path, 'index.html'), 'utf8')));
  const preterm = never.filter((d) => d.priority_areas.includes('preterm-birth'));
  assert.ok(preterm.length >= 2);
  const hits = (await open('q=ptb')).map(pathOf);
  for (const d of preterm) assert.ok(hits.includes(d.path), `"ptb" missed ${d.path}`);
});

test('"hemorrhage" scores as "haemorrhage" does: a synonym, not a typo', async () => {
  const scores = (q) => page.evaluate((query) => window.lanternSearch.run({ q: query })
    .then((o) => o.results.map((d) => [d, Math.round(o.scores[d] * 1e6)])), q);
  await open('');
  const uk = await scores('haemorrhage ');
  assert.ok(uk.length > 0);
  assert.deepEqual(await scores('hemorrhage '), uk);
});

test('a one-letter typo in a title word finds the document in the top 10', async () => {
  for (const doc of docs) {
    const word = doc.title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 5)
      .sort((a, b) => b.length - a.length)[0];
    if (!word) continue;
    const at = Math.min(3, word.length - 2);
    const typo = word.slice(0, at) + (word[at] === 'x' ? 'z' : 'x') + word.slice(at + 1);
    const hits = (await open(`q=${typo}`)).map(pathOf);
    assert.ok(hits.slice(0, 10).includes(doc.path), `"${typo}" (for "${word}") missed ${doc.path}: ${hits}`);
  }
});

test('forms of a word find each other, and a typo is not mistaken for a short word', async () => {
  const week = (await open('q=week+')).map(pathOf).sort();
  const weeks = (await open('q=weeks+')).map(pathOf).sort();
  assert.ok(week.length > 0);
  assert.deepEqual(weeks, week, '"week" and "weeks" share a stem');
  const typo = (await open('q=outrech+')).map(pathOf);
  const outreach = (await open('q=outreach+')).map(pathOf);
  assert.ok(typo.length > 0);
  assert.deepEqual(typo.sort(), outreach.sort(), '"outrech" is "outreach", not "out"');
  assert.deepEqual(await open('q=forceps+'), [], '"forceps" is not "for"');
});

test('results appear while typing, and the query goes into the URL', async () => {
  await open('');
  await page.focus('#search-q');
  const before = await page.$eval('#search-results', (l) => l.dataset.done);
  await page.keyboard.type('interpret', { delay: 20 });
  await page.waitForFunction((b) => document.getElementById('search-results').dataset.done !== b
    && document.getElementById('search-q').value === 'interpret'
    && new URLSearchParams(location.search).get('q') === 'interpret', before);
  await page.waitForTimeout(300);
  const hits = (await shown()).map(pathOf);
  assert.ok(hits.some((p) => /interpreter/.test(p)), `typing "interpret" found ${hits}`);
});

test('facet selections round-trip through the URL', async () => {
  await open('q=screening&priority_area=gestational-diabetes');
  assert.ok(await page.isChecked('#f-priority_area-gestational-diabetes'));
  for (const p of (await shown()).map(pathOf)) assert.ok(byPath(p).priority_areas.includes('gestational-diabetes'), p);
  const done = await page.$eval('#search-results', (l) => l.dataset.done);
  await page.check('#f-type-intervention');
  await page.waitForFunction((b) => document.getElementById('search-results').dataset.done !== b, done);
  const params = new URL(page.url()).searchParams;
  assert.deepEqual(params.getAll('type'), ['intervention']);
  assert.deepEqual(params.getAll('priority_area'), ['gestational-diabetes']);
  for (const p of (await shown()).map(pathOf)) assert.equal(byPath(p).type, 'intervention', p);
  // Separate years from an address stay separate (OR), rather than becoming a range.
  const years = (await open('year=2023&year=2025')).map(pathOf);
  assert.deepEqual(new URL(page.url()).searchParams.getAll('year'), ['2023', '2025']);
  for (const p of years) assert.ok(['2023', '2025'].includes(byPath(p).published.slice(0, 4)), p);
  assert.ok(years.length > 0);
});

const FACETS = { type: 'type', site: 'sites', priority_area: 'priority_areas', outcome: 'outcomes', ethnic_group: 'ethnic_groups' };
const valueOf = (doc, param) => (param === 'type' ? [doc.type] : doc[FACETS[param]]);

/** The counts the page shows: `{param: {id: n}}`. */
function counts() {
  return page.$$eval('.facet-count', (spans) => spans.map((s) => [s.id, s.textContent]))
    .then((list) => {
      const out = {};
      for (const [id, text] of list) {
        const [, param, value] = id.match(/^count-([a-z_]+)-(.+)$/);
        (out[param] ??= {})[value] = Number(text.replace(/[()]/g, ''));
      }
      return out;
    });
}

test('facet counts equal the documents each choice would show', async () => {
  const combos = [
    {}, { priority_area: ['gestational-diabetes'] }, { site: ['leicester'], type: ['evaluation', 'case-study'] },
    { ethnic_group: ['black-african'], outcome: ['experience-of-care'] },
  ];
  let checked = 0;
  for (const q of ['', 'women', 'screening']) {
    for (const combo of combos) {
      const params = new URLSearchParams(q ? { q } : {});
      for (const [k, vs] of Object.entries(combo)) for (const v of vs) params.append(k, v);
      await open(params.toString());
      const ui = await counts();
      for (const [param, values] of Object.entries(ui)) {
        for (const [value, n] of Object.entries(values)) {
          const choice = { q, ...combo, [param]: [value] };
          const actual = await page.evaluate((c) => window.lanternSearch.run(c).then((o) => o.results.length), choice);
          assert.equal(n, actual, `${param}=${value} with ${JSON.stringify({ q, ...combo })}`);
          if (!q) {
            // Without words, the answer follows from the JSON export alone.
            const expected = docs.filter((d) => Object.entries({ ...combo, [param]: [value] })
              .every(([p, vs]) => vs.some((v) => valueOf(d, p).includes(v)))).length;
            assert.equal(n, expected, `${param}=${value} with ${JSON.stringify(combo)} (from the export)`);
          }
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 300, `only ${checked} counts checked`);
});

test('result links lead to their document and section', async () => {
  const hrefs = await open('q=interpreter');
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) {
    const url = new URL(href);
    const file = decodeURIComponent(url.pathname);
    assert.ok(fs.existsSync(file), href);
    if (url.hash) assert.ok(fs.readFileSync(file, 'utf8').includes(` id="${url.hash.slice(1)}"`), href);
  }
  const marks = await page.$$eval('#search-results mark', (m) => m.length);
  assert.ok(marks > 0, 'matched words are marked');
});

test('a page of results has no axe-core violations', async () => {
  await open('q=pph&priority_area=postpartum-haemorrhage');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    preload: false,
  }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
});

await finish({
  problems: () => (errors.length ? [`the page reported errors:\n     ${errors.join('\n     ')}`] : []),
  after: () => browser.close(),
});

// Browser checks of a built Lantern site, opened from disk (file://) in headless Chromium.
//
//   node tests/browser/run.mjs <built site folder> <screenshot folder>
//
// On one page of every kind (found in the folder, no slug written here) it checks:
// - axe-core finds no violation (WCAG 2.0/2.1/2.2 A and AA rules and best practices);
// - no request leaves file:// and there is no console error or page error;
// - <html lang="en-GB">, exactly one h1, one main landmark, every nav named.
// It also clicks home → first priority area → first document, tabs to the skip link and
// follows it, and takes full-page screenshots at 375 and 1280 px wide. It prints every
// failure and a summary, and exits 1 on any failure. Called by tests/browser.rs.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axeSource = createRequire(import.meta.url)('axe-core').source;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const DOC_TYPES = ['interventions', 'evaluations', 'case-studies', 'sites'];
const FACETS = ['priority-areas', 'outcomes', 'ethnic-groups'];
const DOC_LINK = 'main a[href*="interventions/"], main a[href*="evaluations/"], main a[href*="case-studies/"]';
const LOCAL = new Set(['file:', 'data:', 'about:', 'blob:']);

const [site, shots] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!site || !shots) {
  console.error('usage: node run.mjs <built site folder> <screenshot folder>');
  process.exit(2);
}

const failures = new Set(); // the same page may be visited more than once
const fail = (where, what) => { failures.add(`${where}: ${what}`); };
const exists = (rel) => fs.existsSync(path.join(site, rel));
const url = (rel) => pathToFileURL(path.join(site, rel)).href;
const rel = (href) => (href.startsWith('file:')
  ? path.relative(site, decodeURIComponent(new URL(href).pathname)).split(path.sep).join('/') : href);

/** The first sub-folder (by name) of `folder` that holds an index.html. */
function firstPage(folder) {
  if (!exists(folder)) return null;
  const names = fs.readdirSync(path.join(site, folder), { withFileTypes: true })
    .filter((e) => e.isDirectory() && exists(`${folder}/${e.name}/index.html`))
    .map((e) => e.name)
    .sort();
  return names.length ? `${folder}/${names[0]}/index.html` : null;
}

/** One page of every kind: the pages the site must have, then the first of each kind. */
function pagesToCheck() {
  const required = ['index.html', '404.html', 'review/index.html', ...DOC_TYPES.map((t) => `${t}/index.html`),
    ...FACETS.map((f) => `${f}/index.html`)];
  const firsts = [...FACETS, ...DOC_TYPES].map((f) => [f, firstPage(f)]);
  // A plain page is a top-level folder that no part of the site itself uses.
  const reserved = new Set([...DOC_TYPES, ...FACETS, 'search', 'assets', 'media', 'data', 'api', 'review']);
  const plain = fs.readdirSync(site, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !reserved.has(e.name) && exists(`${e.name}/index.html`))
    .map((e) => `${e.name}/index.html`)
    .sort();
  firsts.push(['a plain page', exists('about/index.html') ? 'about/index.html' : plain[0]]);
  const pages = required.filter((p) => exists(p) || fail(p, 'missing from the built site'));
  for (const [kind, page] of firsts) {
    if (page) pages.push(page);
    else fail(kind, 'no page of this kind in the built site');
  }
  if (exists('search/index.html')) pages.push('search/index.html');
  if (exists('pull-request/index.html')) pages.push('pull-request/index.html');
  // Every evaluation: each draws its own charts and tables.
  for (const name of exists('evaluations') ? fs.readdirSync(path.join(site, 'evaluations')).sort() : []) {
    const page = `evaluations/${name}/index.html`;
    if (exists(page) && !pages.includes(page)) pages.push(page);
  }
  // A document's past, where git history made it: its history, a version and what changed.
  const past = pastPages();
  for (const kind of ['history', 'version', 'changes']) {
    if (past[kind]) pages.push(past[kind]);
    else console.log(`note: no ${kind} page to check (the library has no such history)`);
  }
  return pages;
}

/** The first history page, version page and changes page of the publications. */
function pastPages() {
  const found = {};
  for (const type of DOC_TYPES) {
    const docs = fs.readdirSync(path.join(site, type), { withFileTypes: true })
      .filter((e) => e.isDirectory()).map((e) => e.name).sort();
    for (const doc of docs) {
      const dir = `${type}/${doc}`;
      if (!found.history && exists(`${dir}/history/index.html`)) found.history = `${dir}/history/index.html`;
      const versions = fs.readdirSync(path.join(site, dir)).filter((v) => /^v\d+$/.test(v)).sort();
      if (!found.version && versions.length) found.version = `${dir}/${versions[0]}/index.html`;
      const changed = versions.find((v) => exists(`${dir}/${v}/changes/index.html`));
      if (!found.changes && changed) found.changes = `${dir}/${changed}/changes/index.html`;
    }
  }
  return found;
}

/** A page that records its console errors and page errors as failures. */
async function newPage(context) {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && fail(rel(page.url()), `console error: ${m.text()}`));
  page.on('pageerror', (e) => fail(rel(page.url()), `page error: ${e.message}`));
  return page;
}

async function checkStructure(page, name) {
  const lang = await page.getAttribute('html', 'lang');
  if (lang !== 'en-GB') fail(name, `<html lang> is ${JSON.stringify(lang)}, not "en-GB"`);
  const h1 = await page.locator('h1').count();
  if (h1 !== 1) fail(name, `${h1} h1 elements, not exactly one`);
  const main = await page.getByRole('main').count();
  if (main !== 1) fail(name, `${main} main landmarks, not exactly one`);
  const navs = await page.getByRole('navigation').count();
  const named = await page.getByRole('navigation', { name: /\S/ }).count();
  if (named === 0) fail(name, 'no nav with an accessible name (aria-label or aria-labelledby)');
  else if (named < navs) fail(name, `${navs - named} of ${navs} nav landmarks have no accessible name`);
}

async function runAxe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate((values) =>
    // No preload: axe would fetch the stylesheets with XHR, which file:// pages may not do.
    window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'], preload: false }),
  AXE_TAGS);
  for (const v of result.violations) {
    const nodes = v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ');
    const more = v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : '';
    fail(name, `axe ${v.id} (${v.impact}): ${v.help} [${nodes}${more}] ${v.helpUrl}`);
  }
  return result.violations.length;
}

/** Home → first priority area → first document, by clicking. */
async function clickThrough(page) {
  await page.goto(url('index.html'));
  const area = page.locator('main a[href*="priority-areas/"]').first();
  if (!(await area.count())) return fail('index.html', 'no link to a priority area inside <main>');
  await area.click();
  await page.waitForLoadState();
  const facet = rel(page.url());
  if (!facet.startsWith('priority-areas/')) return fail('click-through', `a priority-area link led to ${facet}`);
  if ((await page.locator('h1').count()) !== 1) fail(facet, 'reached by clicking: not exactly one h1');
  const docs = page.locator(DOC_LINK);
  if (!(await docs.count())) return fail(facet, 'the priority-area page lists no document');
  await docs.first().click();
  await page.waitForLoadState();
  const doc = rel(page.url());
  if (!/^(interventions|evaluations|case-studies)\/[^/]+\/index\.html$/.test(doc)) {
    return fail('click-through', `the first document link on ${facet} led to ${doc}`);
  }
  if ((await page.locator('h1').count()) !== 1) fail(doc, 'reached by clicking: not exactly one h1');
}

/** The first Tab on home focuses a visible skip link to #main; following it moves into main. */
async function skipLink(page) {
  await page.goto(url('index.html'));
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const box = a.getBoundingClientRect();
    const onScreen = box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight;
    return { href: a.getAttribute('href'), visible: box.width > 1 && box.height > 1 && onScreen };
  });
  if (skip.href !== '#main') return fail('index.html', `the first Tab focuses ${JSON.stringify(skip.href)}, not a skip link to #main`);
  if (!skip.visible) fail('index.html', 'the skip link stays invisible when focused');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const after = await page.evaluate(() => {
    const main = document.querySelector('main');
    return { target: document.querySelector(':target') === main, inside: !!main?.contains(document.activeElement) };
  });
  if (!after.target) fail('index.html', 'following the skip link does not target the main landmark');
  if (!after.inside) fail('index.html', 'after the skip link, the next Tab does not land inside main');
}

async function screenshots(page, pages) {
  fs.mkdirSync(shots, { recursive: true });
  for (const [name, file] of pages) {
    if (!file) continue;
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(url(file));
      await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
    }
  }
}

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.LANTERN_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let violations = 0;
let checked = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Record, then refuse, every request that would leave the disk.
  context.on('request', (r) => LOCAL.has(new URL(r.url()).protocol) || fail(rel(r.frame().url()), `external request: ${r.url()}`));
  await context.route((u) => !LOCAL.has(u.protocol), (route) => route.abort('blockedbyclient'));
  const page = await newPage(context);
  for (const name of pagesToCheck()) {
    await page.goto(url(name));
    await checkStructure(page, name);
    violations += await runAxe(page, name);
    checked += 1;
  }
  await clickThrough(page);
  await skipLink(page);
  await screenshots(page, [['home', 'index.html'], ['case-study', firstPage('case-studies')],
    ['priority-area', firstPage('priority-areas')]]);
} catch (e) {
  fail('run.mjs', e.stack || String(e));
} finally {
  await browser.close();
}

for (const f of failures) console.log(`FAIL ${f}`);
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`browser checks: ${checked} pages checked, ${violations} axe violations, ${failures.size} failures, ` +
  `screenshots in ${shots} (${secs} s)`);
process.exit(failures.size ? 1 : 0);

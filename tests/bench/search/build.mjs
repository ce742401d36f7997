// Build steps of the search benchmark: generate the library, build it with lantern (with
// and without its search index), make a Pagefind copy of the site with facet filters, index
// it with Pagefind, and time each build with /usr/bin/time (wall seconds, peak RSS).

import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../../..');
const LANTERN = path.join(REPO, 'target/release/lantern');

/** Runs a command to completion, inheriting stderr; throws on failure. */
export function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
}

/** Builds lantern and the generator in release mode, then generates `docs` documents. */
export function generate(lib, docs) {
  sh('cargo', ['build', '--release', '--quiet', '--bin', 'lantern', '--example', 'gen_library']);
  const out = sh(path.join(REPO, 'target/release/examples/gen_library'),
    [String(docs), lib, '--seed', '1', '--force']);
  return out.toString().trim();
}

/**
 * Runs `cmd args` once under /usr/bin/time; returns `{ seconds, cpu, peakMB }` (wall time,
 * user plus system CPU time, peak RSS), or `null` when the command fails (its output is then
 * shown).
 */
export function timed(cmd, args, options = {}) {
  const stats = path.join(os.tmpdir(), `sbench-time-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%e %U %S %M', cmd, ...args],
    { cwd: REPO, maxBuffer: 1 << 28, ...options });
  if (r.status !== 0) {
    process.stderr.write(r.stdout);
    process.stderr.write(r.stderr);
    return null;
  }
  const [seconds, user, sys, kb] = fs.readFileSync(stats, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  fs.rmSync(stats, { force: true });
  return { seconds, cpu: user + sys, peakMB: kb / 1024 };
}

/** The medians of a list of `timed` results. */
export function medians(results) {
  return {
    seconds: median(results.map((r) => r.seconds)),
    cpu: median(results.map((r) => r.cpu)),
    peakMB: median(results.map((r) => r.peakMB)),
  };
}

/** Whether this lantern binary knows `build --no-search`. */
export function lanternHasNoSearch() {
  return sh(LANTERN, ['build', '--help']).toString().includes('--no-search');
}

/**
 * Times lantern builds of `lib` into `lib/public` with and without the search index, and
 * the same in memory with `lantern check`. Returns `{ full, noSearch, checkFull,
 * checkNoSearch }` (the `noSearch` ones are null when the option is not accepted); the
 * last build made is the full one, so `lib/public` holds the search index afterwards.
 */
export function buildLantern(lib, runs) {
  const args = ['build', '--root', lib, '--out', path.join(lib, 'public')];
  const withNoSearch = lanternHasNoSearch();
  const check = ['check', '--root', lib];
  const full = [], noSearch = [], checkFull = [], checkNoSearch = [];
  for (let i = 0; i < runs; i++) { // alternate the two, so that drift hits both alike
    if (withNoSearch) noSearch.push(timed(LANTERN, [...args, '--no-search']));
    full.push(timed(LANTERN, args));
    // `check` builds everything in memory and writes nothing: the index without disk I/O.
    if (withNoSearch) checkNoSearch.push(timed(LANTERN, [...check, '--no-search']));
    checkFull.push(timed(LANTERN, check));
    if ([full, noSearch, checkFull, checkNoSearch].some((l) => l.includes(null))) throw new Error('lantern build failed');
  }
  return {
    full: medians(full),
    noSearch: withNoSearch ? medians(noSearch) : null,
    checkFull: medians(checkFull),
    checkNoSearch: withNoSearch ? medians(checkNoSearch) : null,
  };
}

/** Files and bytes of lantern's search index: public/search/ plus assets/search.js. */
export function lanternIndexFiles(site) {
  const files = walk(path.join(site, 'search'));
  const js = path.join(site, 'assets/search.js');
  if (fs.existsSync(js)) files.push(js);
  return summarise(files);
}

/** Files and bytes under Pagefind's output folder. */
export function pagefindIndexFiles(pfSite) {
  return summarise(walk(path.join(pfSite, 'pagefind')));
}

/**
 * Copies lantern's site to `pfSite` for Pagefind: leaves out lantern's search runtime and
 * index, marks each document's `<main>` with data-pagefind-body and adds its facets (from
 * api/documents.json) as data-pagefind-filter elements, and replaces the search page with
 * one that runs Pagefind behind the same contract as lantern's (see pagefind-adapter.js).
 */
export function preparePagefindSite(site, pfSite) {
  sh('rm', ['-rf', pfSite]);
  sh('cp', ['-a', site, pfSite]); // much faster than fs.cpSync on ~30,000 files
  sh('rm', ['-rf', path.join(pfSite, 'search'), path.join(pfSite, 'assets/search.js')]);

  const { documents } = JSON.parse(fs.readFileSync(path.join(site, 'api/documents.json'), 'utf8'));
  for (const doc of documents) {
    const file = path.join(pfSite, doc.path, 'index.html');
    const html = fs.readFileSync(file, 'utf8');
    const spans = Object.entries(facetsOf(doc)).flatMap(([facet, values]) =>
      values.map((v) => `<span data-pagefind-filter="${facet}:${v}"></span>`)).join('');
    const marked = html.replace(/<main\b([^>]*)>/, `<main$1 data-pagefind-body>${spans}`);
    if (marked === html) throw new Error(`no <main> in ${file}`);
    fs.writeFileSync(file, marked);
  }

  let page = fs.readFileSync(path.join(site, 'search/index.html'), 'utf8')
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/g, '');
  if (!/id="search-results"/.test(page)) {
    page = page.replace(/<\/main>/, '<ol id="search-results"></ol>\n</main>');
  }
  page = page.replace(/<\/body>/,
    '<script type="module" src="../assets/pagefind-adapter.js"></script>\n</body>');
  fs.mkdirSync(path.join(pfSite, 'search'), { recursive: true });
  fs.writeFileSync(path.join(pfSite, 'search/index.html'), page);
  fs.copyFileSync(path.join(HERE, 'pagefind-adapter.js'), path.join(pfSite, 'assets/pagefind-adapter.js'));
  return documents;
}

/** A document's facet values, keyed by the search page's URL parameter names. */
export function facetsOf(doc) {
  return {
    type: [doc.type],
    site: doc.sites,
    priority_area: doc.priority_areas,
    outcome: doc.outcomes,
    ethnic_group: doc.ethnic_groups,
    year: [doc.published.slice(0, 4)],
  };
}

/** The Pagefind binary installed by `npm ci` (the npm package's platform dependency). */
export function pagefindBinary() {
  const require = createRequire(path.join(HERE, 'package.json'));
  const platform = `${process.platform}-${os.arch()}`;
  for (const name of ['pagefind_extended', 'pagefind']) {
    try {
      return require.resolve(`@pagefind/${platform}/bin/${name}`);
    } catch { /* try the next name */ }
  }
  throw new Error(`no Pagefind binary for ${platform}: run \`npm ci\` in ${HERE}`);
}

/** Times Pagefind indexing `pfSite` (it writes pfSite/pagefind/). */
export function buildPagefind(pfSite, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(timed(pagefindBinary(), ['--site', pfSite, '--silent']));
  if (results.includes(null)) throw new Error('pagefind failed');
  return medians(results);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function summarise(files) {
  const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  return { files: files.length, MB: bytes / 1048576 };
}

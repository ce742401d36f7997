// Search benchmark: lantern's client-side search against Pagefind on the same generated
// library, side by side, in one run.
//
//   cd tests/bench/search && npm ci        # once: pagefind (with its linux-x64 binary), playwright-core
//   node tests/bench/search/run.mjs [--docs 10000] [--runs 5] [--dir /tmp/sbench] [--out FILE] [--verbose]
//
// Needs Rust (cargo), /usr/bin/time and Chromium (LANTERN_CHROMIUM, default /usr/bin/chromium).
// Everything is written under --dir (default /tmp/sbench); the table goes to stdout and to
// --out (default DIR/results.md). On two cores a 10,000-document run takes 9 to 15 minutes
// with --runs 5, mostly the 10 lantern builds and 5 Pagefind runs; Pagefind alone needs
// about 4.5 GB of memory there. Use --docs 500 (under a minute) while working on it.
//
// What it does:
//  1. builds lantern and the generator (release), generates --docs documents (seed 1);
//  2. builds the site with lantern --runs times, alternately with and without `--no-search`
//     (median wall time and peak RSS from /usr/bin/time): the index costs the difference;
//     the same with `lantern check`, which builds in memory and writes nothing, gives the
//     index's cost without disk I/O.
//     A lantern without --no-search gets "n/a";
//  3. copies the site for Pagefind (without lantern's search files), marks each document's
//     <main> with data-pagefind-body and its facets (from api/documents.json) with
//     data-pagefind-filter, swaps in a search page that runs Pagefind behind lantern's search
//     page contract (pagefind-adapter.js), and times Pagefind's binary on it --runs times;
//  4. serves each site from a loopback server (server.mjs: gzip for text, Pagefind's files
//     as they are, every request logged with its bytes on the wire);
//  5. in headless Chromium, a fresh context (cold cache) per measurement, opens
//     search/index.html?q=...&<facet>=... and waits for the first render of #search-results
//     (its data-done counter). A query's cost is every request that finished by then except
//     the page's own HTML and CSS. Time to first results is measured from the start of the
//     navigation (so it includes the page's HTML and CSS, the same page for both tools) with
//     100 ms added to every response. Follow-up latency is 50 queries with facets through
//     window.lanternSearch.run() once the first query has been answered (no added delay);
//  6. prints a Markdown table, lantern | Pagefind | target, and writes it to --out.
// If lantern's search page gives no results within 20 s it says so and carries on.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as build from './build.mjs';
import { serve } from './server.mjs';
import { CHROMIUM_ARGS, coldQueryMedian, followUps, queryString } from './measure.mjs';

const { chromium } = await import('playwright-core').catch(() => {
  console.error(`playwright-core is missing: run \`npm ci\` in ${build.HERE} first`);
  process.exit(2);
});
const opts = parseArgs(process.argv.slice(2));
const lib = path.join(opts.dir, 'lib');
const site = path.join(lib, 'public');
const pfSite = path.join(opts.dir, 'pf-site');
const outFile = opts.out || path.join(opts.dir, 'results.md');
const DELAY_MS = 100;
const FACET = 'priority_area';

const step = (msg) => console.error(`[${((performance.now()) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

fs.mkdirSync(opts.dir, { recursive: true });
step(`generating ${opts.docs} documents in ${lib}`);
const generated = build.generate(lib, opts.docs);
if (generated) step(generated);

step(`building with lantern (${opts.runs} runs each, with and without the search index)`);
const lanternBuild = build.buildLantern(lib, opts.runs);

step('preparing the Pagefind copy of the site');
const documents = build.preparePagefindSite(site, pfSite);
step(`indexing with Pagefind (${opts.runs} runs)`);
const pagefindBuild = build.buildPagefind(pfSite, opts.runs);

const queries = makeQueries(documents);
const browser = await chromium.launch({
  executablePath: process.env.LANTERN_CHROMIUM || '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
const tools = {
  lantern: { root: site, timeoutMs: 20_000, index: build.lanternIndexFiles(site) },
  Pagefind: { root: pfSite, timeoutMs: 60_000, index: build.pagefindIndexFiles(pfSite) },
};
for (const [name, tool] of Object.entries(tools)) {
  const server = await serve(path.resolve(tool.root));
  try {
    tool.m = await measure(name, server, tool.timeoutMs);
  } catch (e) {
    console.error(`${name}: search page not ready (${e.message})`);
    tool.notReady = e.message;
  } finally {
    await server.close();
  }
}
await browser.close();

const table = report();
console.log(table);
fs.writeFileSync(outFile, table);
step(`wrote ${outFile}`);

async function measure(name, server, timeoutMs) {
  const m = {};
  const cold = async (label, query) => {
    step(`${name}: ${label} (${queryString(query)})`);
    const r = await coldQueryMedian(browser, server, query, { runs: opts.runs, timeoutMs });
    if (opts.verbose) console.error(`  ${r.results} results shown; fetched:\n    ${r.paths.join('\n    ')}`);
    return r;
  };
  m.first = await cold('first query', queries.first);
  m.facet = await cold('facet query', queries.facet);
  m.the = await cold('common word', queries.the);
  m.women = await cold('common content word', queries.women);
  server.delayMs = DELAY_MS;
  m.delayed = await cold(`first query, +${DELAY_MS} ms per request`, queries.first);
  server.delayMs = 0;
  step(`${name}: ${queries.followUps.length} follow-up queries`);
  try {
    m.follow = await followUps(browser, server, queries.first, queries.followUps, { timeoutMs });
  } catch (e) {
    console.error(`${name}: follow-up queries failed (${e.message.split('\n')[0]})`);
  }
  return m;
}

/** The measured queries; facet values come from the generated documents. */
function makeQueries(docs) {
  const values = (facet) => [...new Set(docs.flatMap((d) => build.facetsOf(d)[facet]))].sort();
  const v = Object.fromEntries(['type', 'site', 'priority_area', 'outcome', 'ethnic_group', 'year']
    .map((f) => [f, values(f)]));
  const words = ['haemorrhage', 'interpreter', 'screening', 'cervical', 'depression', 'anaemia',
    'magnesium', 'tranexamic acid', 'continuity', 'hypoglycaemia', 'debrief', 'thermal care',
    'booking', 'triage', 'glucose', 'preterm', 'postnatal', 'ethnicity', 'training', 'audit',
    'huddle', 'peer support', 'discharge', 'referral', 'steroids'];
  const at = (xs, i) => xs[i % xs.length];
  const facetSets = [
    (i) => ({ priority_area: [at(v.priority_area, i)] }),
    (i) => ({ site: [at(v.site, i)] }),
    (i) => ({ type: [at(v.type, i)] }),
    (i) => ({ year: [at(v.year, i)] }),
    (i) => ({ priority_area: [at(v.priority_area, i)], site: [at(v.site, i + 3)] }),
    (i) => ({ outcome: [at(v.outcome, i)], ethnic_group: [at(v.ethnic_group, i)] }),
    (i) => ({ site: [at(v.site, i), at(v.site, i + 1)], type: [at(v.type, i)] }),
  ];
  const followUps = Array.from({ length: 50 }, (_, i) =>
    ({ q: at(words, i), ...at(facetSets, i)(i) }));
  return {
    first: { q: 'tranexamic' },
    facet: { q: 'screening', [FACET]: ['preterm-birth'] },
    the: { q: 'the' },
    women: { q: 'women' },
    followUps,
  };
}

function report() {
  const L = tools.lantern;
  const P = tools.Pagefind;
  const f1 = (x) => x.toFixed(1);
  const f2 = (x) => x.toFixed(2);
  const ok = (good) => (good ? ' ✓' : ' ✗');
  const cell = (tool, fn) => {
    try {
      return tool.m ? fn(tool.m) : 'n/a';
    } catch {
      return 'n/a';
    }
  };
  const kib = (r, max, maxReq) => `${f1(r.KiB)} KiB / ${r.requests}` +
    ok(r.KiB <= max && (maxReq === undefined || r.requests <= maxReq)) +
    (r.results === 0 ? ' (no results)' : '');
  const ns = lanternBuild.noSearch;
  const lanternTime = ns ? f2(lanternBuild.full.seconds - ns.seconds) : 'n/a (no --no-search)';
  const lanternMem = ns ? f1(lanternBuild.full.peakMB - ns.peakMB) : 'n/a (no --no-search)';
  const idx = (i) => `${i.files} (${f1(i.MB)} MB)`;
  const cns = lanternBuild.checkNoSearch;
  const memTime = cns ? lanternBuild.checkFull.seconds - cns.seconds : null;
  const rows = [
    ['index build time in memory (s)', cns ? f2(memTime) + ok(memTime <= 3) : 'n/a (no --no-search)',
      f2(pagefindBuild.seconds) + ok(pagefindBuild.seconds <= 3), '≤ 3'],
    ['index build and writing its files (s)', lanternTime + (ns ? ok(lanternBuild.full.seconds - ns.seconds <= 3) : ''),
      f2(pagefindBuild.seconds) + ok(pagefindBuild.seconds <= 3), '≤ 3'],
    ['index extra peak memory (MB)', lanternMem + (ns ? ok(lanternBuild.full.peakMB - ns.peakMB <= 500) : ''),
      f1(pagefindBuild.peakMB) + ok(pagefindBuild.peakMB <= 500), '≤ 500'],
    ['index files (size)', idx(L.index), idx(P.index), ''],
    ['first query "tranexamic": KiB / requests', cell(L, (m) => kib(m.first, 80, 6)),
      cell(P, (m) => kib(m.first, 80, 6)), '≤ 80 KiB, ≤ 6 requests'],
    ['facet query "screening" + priority_area=preterm-birth: KiB / requests',
      cell(L, (m) => kib(m.facet, 90)), cell(P, (m) => kib(m.facet, 90)), '≤ 90 KiB'],
    ['common word "the": KiB / requests', cell(L, (m) => kib(m.the, 120)),
      cell(P, (m) => kib(m.the, 120)), '≤ 120 KiB'],
    ['common word "women": KiB / requests', cell(L, (m) => kib(m.women, 120)),
      cell(P, (m) => kib(m.women, 120)), '≤ 120 KiB'],
    [`time to first results at +${DELAY_MS} ms/request (ms)`, cell(L, (m) => f1(m.delayed.ms)),
      cell(P, (m) => f1(m.delayed.ms)), ''],
    ['follow-up p50 / p95 (ms), 50 queries with facets', cell(L, (m) => fu(m.follow.fresh)),
      cell(P, (m) => fu(m.follow.fresh)), 'p95 ≤ 10'],
    ['same 50 again, all cached: p50 / p95 (ms)', cell(L, (m) => fu(m.follow.repeat)),
      cell(P, (m) => fu(m.follow.repeat)), 'p95 ≤ 10'],
  ];
  function fu(r) {
    return `${f1(r.p50)} / ${f1(r.p95)}${ok(r.p95 <= 10)}`;
  }
  const lines = [
    `## Search benchmark: ${opts.docs} documents`,
    '',
    `lantern ${gitDescribe()} · Pagefind ${pagefindVersion()} · Chromium ${browser.version()} · ` +
      `${os.cpus().length} cores · median of ${opts.runs} runs · ${new Date().toISOString().slice(0, 16)}Z`,
    '',
    '| | lantern | Pagefind | target |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `lantern full build ${f2(lanternBuild.full.seconds)} s, ${f1(lanternBuild.full.peakMB)} MB peak` +
      (lanternBuild.noSearch ? `; without search ${f2(lanternBuild.noSearch.seconds)} s, ` +
        `${f1(lanternBuild.noSearch.peakMB)} MB` : '; `--no-search` not accepted by this lantern') + '.',
    'Index build in memory: `lantern check` (builds everything, writes nothing) minus the same with `--no-search`;',
    'with writing: `lantern build` minus `lantern build --no-search`.',
    'Pagefind\'s index cost is its whole run (its binary, not the npx wrapper) over the built site.',
    'Query cost: bytes on the wire (gzip for text) and requests after the search page\'s own HTML and CSS,',
    'until the first results are rendered (Pagefind: the first 10 results with their excerpts), cold cache.',
    'Time to first results: from the start of the navigation to search/?q=tranexamic, each response held 100 ms.',
    ...(L.notReady ? ['', `lantern: search page not ready (${L.notReady}).`] : []),
    ...(P.notReady ? ['', `Pagefind: search page not ready (${P.notReady}).`] : []),
    '',
  ];
  return lines.join('\n');
}

function gitDescribe() {
  try {
    const rev = build.sh('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
    const dirty = build.sh('git', ['status', '--porcelain']).toString().trim() ? '+changes' : '';
    return rev + dirty;
  } catch {
    return '(no git)';
  }
}

function pagefindVersion() {
  return JSON.parse(fs.readFileSync(path.join(build.HERE, 'node_modules/pagefind/package.json'))).version;
}

function parseArgs(argv) {
  const o = { docs: 10000, runs: 5, dir: '/tmp/sbench', out: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--docs': o.docs = Number(value()); break;
      case '--runs': o.runs = Number(value()); break;
      case '--dir': o.dir = path.resolve(value()); break;
      case '--out': o.out = path.resolve(value()); break;
      case '--verbose': o.verbose = true; break;
      default:
        console.error('usage: node run.mjs [--docs N] [--runs R] [--dir DIR] [--out FILE] [--verbose]');
        process.exit(2);
    }
  }
  if (!(o.docs > 0 && o.runs > 0)) {
    console.error('--docs and --runs must be positive numbers');
    process.exit(2);
  }
  return o;
}

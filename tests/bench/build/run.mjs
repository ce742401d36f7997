// Build benchmark: lantern's whole build against Hugo's plain build, and Hugo plus Pagefind,
// on the same generated libraries, side by side, in one run.
//
//   cd tests/bench/search && npm ci    # once: Pagefind (npm package `pagefind`, with its binary)
//   apt-get install -y hugo            # once: Hugo (Debian package)
//   node tests/bench/build/run.mjs [--sizes 1000,10000,50000] [--runs 5] [--peers 10000]
//                                  [--dir /tmp/lantern-build-bench] [--out FILE]
//
// Needs Rust (cargo), git and /usr/bin/time. For each size it:
//  1. builds lantern and the generator (release) and generates the library (seed 1), then
//     a copy of it as a git repository with one commit, for lantern with history on;
//  2. makes a Hugo site of the same documents (hugo.mjs);
//  3. --runs times, alternating so that drift on a noisy machine hits every tool alike:
//     lantern's full build (pages, listings, facets, feeds, sitemap, JSON export, search
//     index) with history off, the same with history on, Hugo's build from an empty
//     output folder, and Pagefind indexing Hugo's output (for sizes up to --peers only:
//     Pagefind needs about 4.5 GB at 10,000 documents), each after a `sync`;
//  4. prints the median wall time, CPU time (user plus system) and peak RSS of each, the
//     ratios measured in the same run, and how lantern grows from size to size; the
//     tables also go to --out (default DIR/results.md).
// With the defaults it takes about 25 minutes on two cores, most of it Pagefind and the
// 50,000-document builds; `--sizes 1000 --runs 3` takes a minute.

import fs from 'node:fs';
import path from 'node:path';
import { REPO, generate, medians, pagefindBinary, sh, timed } from '../search/build.mjs';
import { clean, hugoArgs, makeHugoSite } from './hugo.mjs';

const LANTERN = path.join(REPO, 'target/release/lantern');
const opts = { sizes: '1000,10000,50000', runs: 5, peers: 10000, dir: '/tmp/lantern-build-bench', out: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in opts) || process.argv[i + 1] === undefined) {
    console.error(`unknown option ${process.argv[i]}; see the comment at the top of ${path.basename(process.argv[1])}`);
    process.exit(2);
  }
  opts[key] = ['runs', 'peers'].includes(key) ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const sizes = opts.sizes.split(',').map(Number);
const step = (msg) => console.error(`[${(performance.now() / 1000).toFixed(0).padStart(4)} s] ${msg}`);

/**
 * Adds one timed run, `run()`, to `results[name]`; throws when the tool failed. The files
 * that the run before wrote are flushed to disk first, so that no tool's time includes
 * the kernel writing back another's output.
 */
function measure(name, run, results) {
  sh('sync', []);
  const r = run();
  if (r === null) throw new Error(`${name} failed`);
  (results[name] ??= []).push(r);
}

/** A copy of `lib` that is a git repository with one commit of everything. */
function gitCopy(lib, dir) {
  sh('rm', ['-rf', dir]);
  sh('cp', ['-a', lib, dir]);
  sh('rm', ['-rf', path.join(dir, 'public')]);
  const git = (...args) => sh('git', ['-C', dir, ...args], {
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T12:00:00Z' },
  });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.org', 'commit', '-q', '-m', 'Library');
}

function benchSize(docs) {
  const base = path.join(opts.dir, String(docs));
  const lib = path.join(base, 'lib');
  const withGit = path.join(base, 'lib-git');
  const hugo = path.join(base, 'hugo');
  step(`${docs} documents: generating`);
  const generated = generate(lib, docs);
  if (generated) step(generated);
  gitCopy(lib, withGit);
  makeHugoSite(lib, hugo);
  const peers = docs <= opts.peers;
  const results = {};
  for (let run = 1; run <= opts.runs; run++) {
    step(`${docs} documents: run ${run} of ${opts.runs}`);
    measure('lantern', () => timed(LANTERN, ['build', '--root', lib]), results);
    measure('lantern, history on', () => timed(LANTERN, ['build', '--root', withGit]), results);
    if (!peers) continue;
    clean(hugo);
    measure('Hugo', () => timed('hugo', hugoArgs(hugo)), results);
    fs.rmSync(path.join(hugo, 'public/pagefind'), { recursive: true, force: true });
    measure('Pagefind on Hugo\'s site', () => timed(pagefindBinary(), ['--site', path.join(hugo, 'public'), '--silent']), results);
  }
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, medians(v)]));
  if (peers) {
    const h = m.Hugo, p = m['Pagefind on Hugo\'s site'];
    m['Hugo + Pagefind'] = { seconds: h.seconds + p.seconds, cpu: h.cpu + p.cpu, peakMB: Math.max(h.peakMB, p.peakMB) };
  }
  return { docs, files: countFiles(path.join(lib, 'public')), hugoFiles: peers ? countFiles(path.join(hugo, 'public')) : null, m };
}

function countFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);

function table(result) {
  const { docs, m } = result;
  const lantern = m.lantern;
  const lines = [
    `### ${docs.toLocaleString('en-GB')} documents`,
    '',
    `lantern wrote ${result.files} files${result.hugoFiles ? `, Hugo ${result.hugoFiles}` : ''}; medians of ${opts.runs} runs.`,
    '',
    '| build | wall | CPU | peak memory | lantern is faster by | lantern uses less memory by |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, r] of Object.entries(m)) {
    const ratio = name.startsWith('lantern') ? '' : `${f1(r.seconds / lantern.seconds)}×`;
    const mem = name.startsWith('lantern') ? '' : `${f1(r.peakMB / lantern.peakMB)}×`;
    lines.push(`| ${name} | ${f2(r.seconds)} s | ${f2(r.cpu)} s | ${r.peakMB.toFixed(0)} MB | ${ratio} | ${mem} |`);
  }
  return lines.join('\n');
}

function scaling(results) {
  const lines = [
    '### How lantern grows',
    '',
    '| documents | wall | CPU | peak memory | wall vs previous size | memory vs previous size |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  results.forEach((r, i) => {
    const l = r.m.lantern, p = results[i - 1]?.m.lantern;
    lines.push(`| ${r.docs.toLocaleString('en-GB')} | ${f2(l.seconds)} s | ${f2(l.cpu)} s | ${l.peakMB.toFixed(0)} MB | ${p ? `${f2(l.seconds / p.seconds)}×` : ''} | ${p ? `${f2(l.peakMB / p.peakMB)}×` : ''} |`);
  });
  return lines.join('\n');
}

fs.mkdirSync(opts.dir, { recursive: true });
step(`hugo: ${sh('hugo', ['version']).toString().trim()}`);
const results = sizes.map(benchSize);
const report = [...results.map(table), scaling(results)].join('\n\n') + '\n';
const out = opts.out || path.join(opts.dir, 'results.md');
fs.writeFileSync(out, report);
console.log(report);
step(`written to ${out}`);

// History benchmark: what reading git history and building every document's history,
// version and changes pages costs, on a generated library with a long generated history.
//
//   node tests/bench/history/run.mjs [--docs 10000] [--commits 30000] [--runs 5] [--dir /tmp/hbench] [--out FILE]
//
// Needs Rust (cargo), git and /usr/bin/time; no npm packages. It:
//  1. builds lantern and the generator (release) and generates --docs documents (seed 1);
//  2. turns the library into a git repository with about --commits commits, made with one
//     `git fast-import`: a first commit with the configuration, sites and pages, then the
//     publications added ten per commit, then one edit per commit until the total is
//     reached. Each publication's edits lead from version 1 up to the version it has in the
//     generated library (about a third of edits raise the version; the rest are editorial),
//     and its last revision is exactly the generated file. Dates advance by about half an
//     hour per commit from January 2022; twenty authors take turns at random;
//  3. --runs times: builds with `--no-history`, then with history from nothing (cold),
//     then commits a new version of one document and builds with history again (warm:
//     continuing from the last build); reports the median wall time and peak memory of
//     each (from /usr/bin/time), what history adds, and the time of reading git alone
//     (LANTERN_TIMINGS).
// A 10,000-document run takes about 5 minutes on two cores, most of it the builds.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
const LANTERN = path.join(REPO, 'target/release/lantern');

const opts = { docs: 10000, commits: 30000, runs: 5, dir: '/tmp/hbench', out: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in opts)) {
    console.error(`unknown option ${process.argv[i]}; see the comment at the top of ${path.basename(process.argv[1])}`);
    process.exit(2);
  }
  opts[key] = ['docs', 'commits', 'runs'].includes(key) ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const lib = path.join(opts.dir, 'lib');
const step = (msg) => console.error(`[${(performance.now() / 1000).toFixed(0).padStart(4)} s] ${msg}`);

/** A small seeded generator (mulberry32), so that every run makes the same history. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26, ...options });
}

function files(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

const AUTHORS = ['Amara Okafor', 'Ben Hughes', 'Chioma Eze', 'Dev Patel', 'Ella Brown', 'Farah Khan',
  'Grace Mensah', 'Harry Wilson', 'Imran Hussain', 'Jade Campbell', 'Kwame Asante', 'Leah Cohen',
  'Maya Singh', 'Noah Evans', 'Olu Adeyemi', 'Priya Sharma', 'Quinn Taylor', 'Ruth Bello',
  'Sana Malik', 'Tom Davies'];
const PUBLICATIONS = /^content\/(interventions|evaluations|case-studies)\/[^/]+\.md$/;

/** The text of a revision before the last: the version line changed, a revision note added. */
function earlier(text, version, k) {
  const withVersion = text.replace(/^version: \d+$/m, `version: ${version}`);
  return `${withVersion}\nRevision ${k}: wording agreed with the site team before the next review.\n`;
}

/** Writes the repository with one `git fast-import`; returns the number of commits. */
async function makeHistory() {
  const random = rng(7);
  const all = files(path.join(lib, 'content'), lib).sort();
  const docs = all.filter((f) => PUBLICATIONS.test(f));
  const rest = all.filter((f) => !PUBLICATIONS.test(f));
  const finalText = new Map(docs.map((f) => [f, fs.readFileSync(path.join(lib, f), 'utf8')]));
  // Edits per document: the adds and edits together make about --commits commits.
  const addCommits = Math.ceil(docs.length / 10) + 1;
  const edits = Math.max(0, opts.commits - addCommits);
  const plan = new Map(docs.map((f) => {
    const finalVersion = Number(/^version: (\d+)$/m.exec(finalText.get(f))?.[1] ?? 1);
    return [f, { revisions: 1, finalVersion, done: 0 }];
  }));
  for (let e = 0; e < edits; e++) plan.get(docs[Math.floor(random() * docs.length)]).revisions++;
  const versionAt = (p, k) => Math.max(1, Math.ceil(((k + 1) * p.finalVersion) / p.revisions));
  const textAt = (f, k) => {
    const p = plan.get(f);
    return k === p.revisions - 1 ? finalText.get(f) : earlier(finalText.get(f), versionAt(p, k), k + 1);
  };

  fs.rmSync(path.join(lib, '.git'), { recursive: true, force: true });
  sh('git', ['init', '-q', '-b', 'main', lib]);
  const importer = spawn('git', ['-C', lib, 'fast-import', '--quiet'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) => importer.on('exit', (code) => code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`))));
  let pending = [];
  let pendingBytes = 0;
  const flush = async () => {
    const chunk = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (!importer.stdin.write(chunk)) await new Promise((r) => importer.stdin.once('drain', r));
  };
  const put = async (s) => {
    const b = Buffer.from(s);
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes > 1 << 22) await flush();
  };
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  let commit = 0;
  let time = Date.UTC(2022, 0, 3, 9) / 1000;
  const write = async (message, changes) => {
    commit++;
    time += 600 + Math.floor(random() * 2400);
    const who = AUTHORS[Math.floor(random() * AUTHORS.length)];
    const email = `${who.toLowerCase().replace(/[^a-z]+/g, '.')}@example.nhs.uk`;
    let s = `commit refs/heads/main\nmark :${commit}\nauthor ${who} <${email}> ${time} +0000\ncommitter ${who} <${email}> ${time} +0000\n${data(message)}`;
    if (commit > 1) s += `from :${commit - 1}\n`;
    for (const [file, text] of changes) s += `M 100644 inline ${file}\n${data(text)}`;
    await put(s + '\n');
  };
  await write('Start the library: configuration, sites and pages', rest.map((f) => [f, fs.readFileSync(path.join(lib, f), 'utf8')]));
  for (let i = 0; i < docs.length; i += 10) {
    const batch = docs.slice(i, i + 10);
    await write(`Add ${batch.length} documents`, batch.map((f) => [f, textAt(f, 0)]));
    for (const f of batch) plan.get(f).done = 1;
  }
  // Edits, in a random order that keeps each document's revisions in sequence.
  const queue = docs.flatMap((f) => Array(plan.get(f).revisions - 1).fill(f));
  for (let i = queue.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queue[i], queue[j]] = [queue[j], queue[i]];
  }
  for (const f of queue) {
    const p = plan.get(f);
    const k = p.done++;
    const bump = versionAt(p, k) > versionAt(p, k - 1);
    const name = path.basename(f, '.md');
    await write(bump ? `${name}: version ${versionAt(p, k)}` : `${name}: editorial changes`, [[f, textAt(f, k)]]);
  }
  await flush();
  importer.stdin.end();
  await done;
  sh('git', ['-C', lib, 'checkout', '-q', '-f', 'main']);
  const dirty = sh('git', ['-C', lib, 'status', '--porcelain', '--', 'content']).toString().trim();
  if (dirty) throw new Error(`the working tree differs from the last commit:\n${dirty.slice(0, 500)}`);
  const versions = docs.reduce((n, f) => n + plan.get(f).finalVersion, 0);
  return { commits: commit, revisions: docs.length + queue.length, versions, docs: docs.length };
}

/** One build under /usr/bin/time: `{ seconds, peakMB, history }` (history: stage seconds). */
function timed(args) {
  const stats = path.join(os.tmpdir(), `hbench-time-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%e %M', LANTERN, ...args],
    { cwd: REPO, env: { ...process.env, LANTERN_TIMINGS: '1' }, maxBuffer: 1 << 26 });
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`lantern ${args.join(' ')} failed:\n${stderr.slice(-2000)}`);
  const [seconds, kb] = fs.readFileSync(stats, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  fs.rmSync(stats, { force: true });
  const history = Number(/timing: history ([\d.]+) s/.exec(stderr)?.[1] ?? 0);
  const files = Number(/\((\d+) files\)/.exec(stderr)?.[1] ?? 0);
  return { seconds, peakMB: kb / 1024, history, files };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

fs.mkdirSync(opts.dir, { recursive: true });
step('building lantern and the generator');
sh('cargo', ['build', '--release', '--quiet', '--bin', 'lantern', '--example', 'gen_library']);
step(`generating ${opts.docs} documents in ${lib}`);
sh(path.join(REPO, 'target/release/examples/gen_library'), [String(opts.docs), lib, '--seed', '1', '--force']);
step(`writing a history of about ${opts.commits} commits`);
const made = await makeHistory();
step(`${made.commits} commits, ${made.revisions} revisions of ${made.docs} publications, ${made.versions} versions`);
/** Commits a new version of one publication, as a merged pull request would. */
function newVersion(k) {
  const docs = files(path.join(lib, 'content/interventions'), lib).sort();
  const file = docs[(k * 7919) % docs.length];
  const text = fs.readFileSync(path.join(lib, file), 'utf8');
  const version = Number(/^version: (\d+)$/m.exec(text)[1]) + 1;
  fs.writeFileSync(path.join(lib, file), `${text.replace(/^version: \d+$/m, `version: ${version}`)}\nUpdated after the quarterly review ${k}.\n`);
  sh('git', ['-C', lib, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.org', 'commit', '-q', '-am', `New version of ${path.basename(file)}`]);
}

// Each run: a build without history (which also leaves no history behind), a first build
// with history (cold: nothing to keep from the last build), then twice a new version
// committed and a build with history (warm: the usual case, a build after the last ones).
const none = [];
const cold = [];
const warm = [];
for (let i = 0; i < opts.runs; i++) {
  step(`run ${i + 1} of ${opts.runs}: without history, with history (cold), a new commit, with history (warm)`);
  // Each measured build follows two of its own kind, as in steady use: a build reuses the
  // folder of the build before last.
  timed(['build', '--root', lib, '--no-history']);
  timed(['build', '--root', lib, '--no-history']);
  none.push(timed(['build', '--root', lib, '--no-history']));
  cold.push(timed(['build', '--root', lib]));
  newVersion(2 * i);
  timed(['build', '--root', lib]);
  newVersion(2 * i + 1);
  warm.push(timed(['build', '--root', lib]));
}
const row = (runs) => ({
  seconds: median(runs.map((r) => r.seconds)),
  peakMB: median(runs.map((r) => r.peakMB)),
  history: median(runs.map((r) => r.history)),
  files: runs[0].files,
});
const [n, c, w] = [row(none), row(cold), row(warm)];
const f2 = (x) => x.toFixed(2);
const rev = sh('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const extra = (r) => `${f2(r.seconds - n.seconds)} ${r.seconds - n.seconds <= 3 ? '✓' : '✗'}`;
const mem = (r) => `${r.peakMB.toFixed(0)} ${r.peakMB <= 1024 ? '✓' : '✗'}`;
const table = [
  `## History benchmark: ${made.docs} publications, ${made.commits} commits`,
  '',
  `lantern ${rev} · ${os.cpus().length} cores · median of ${opts.runs} runs · ${new Date().toISOString().slice(0, 16)}Z`,
  '',
  '| build | wall (s) | history adds (s) | peak memory (MB) | reading git (s) | files |',
  '|---|---|---|---|---|---|',
  `| \`--no-history\` | ${f2(n.seconds)} | | ${n.peakMB.toFixed(0)} | | ${n.files} |`,
  `| with history, after a new commit (warm) | ${f2(w.seconds)} | ${extra(w)} | ${mem(w)} | ${f2(w.history)} | ${w.files} |`,
  `| with history, from nothing (cold) | ${f2(c.seconds)} | ${extra(c)} | ${mem(c)} | ${f2(c.history)} | ${c.files} |`,
  '',
  `Targets: history adds at most 3 s, peak memory at most 1 GB. ${made.revisions} revisions; ${made.versions} versions (a page each), a history page per publication and a changes page per later version.`,
  'Warm: the builds before were builds with history, and one new version has been committed since: git is read from the',
  'last build\'s commit on, and the pages of the past that would come out the same are kept from the last build.',
  'Each measured build follows builds of its own kind (a build reuses the folder of the build before last).',
  'Cold: the output folder holds no history (the build before used `--no-history`): all of git is read and every page rendered.',
  'Wall time and peak RSS from /usr/bin/time; "reading git" is the history stage alone (LANTERN_TIMINGS).',
].join('\n');
console.log(table);
fs.writeFileSync(opts.out || path.join(opts.dir, 'results.md'), table + '\n');
